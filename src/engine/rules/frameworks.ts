/** What the installed frameworks were built for, and how to get a build for another CUDA. */
import { driverServes, IContext } from '../context';
import { fix, pip, RESTART, VERIFY } from '../fixes';
import { IFix } from '../types';
import {
  compareCuda,
  cudaString,
  majorMinor,
  parseCuda,
  publicVersion
} from '../versions';

export interface IBuiltFor {
  name: string;
  cuda: [number, number];
  verify: string;
  /** Fixes that get a build this driver can run. */
  fixes: (driverCuda: [number, number]) => IFix[];
}

/** The torch CUDA variant (cu126) of `version` that the driver serves, newest first. */
export function torchVariantFor(
  ctx: IContext,
  version: string,
  driverCuda: [number, number] | null
): string | null {
  const row = ctx.table.torch.rows.find(
    r => r.version === publicVersion(version)
  );
  const variants = (row?.variants ?? [])
    .filter(v => v.startsWith('cu'))
    .sort()
    .reverse();
  if (!driverCuda) {
    return variants[0] ?? null;
  }
  // A build the driver fully supports; else one it runs through minor-version compatibility.
  return (
    variants.find(v => driverServes(driverCuda, parseCuda(v)!) === 'yes') ??
    variants.find(v => driverServes(driverCuda, parseCuda(v)!) !== 'no') ??
    null
  );
}

export function torchIndexUrl(ctx: IContext, variant: string): string {
  return ctx.table.torch.index_url.replace('{variant}', variant);
}

export function frameworkCudas(ctx: IContext): IBuiltFor[] {
  const built: IBuiltFor[] = [];
  const { torch, tensorflow, jax } = ctx.facts.frameworks;
  const torchCuda = parseCuda(torch?.cuda);
  if (torch && torchCuda) {
    built.push({
      name: `torch ${torch.version}`,
      cuda: torchCuda,
      verify: VERIFY.torch,
      fixes: driverCuda => {
        const variant = torchVariantFor(ctx, torch.version, driverCuda);
        return variant
          ? [
              fix(
                `Install torch ${publicVersion(torch.version)} built for CUDA ${cudaString(parseCuda(variant)!)}`,
                pip(
                  `torch==${publicVersion(torch.version)}`,
                  '--index-url',
                  torchIndexUrl(ctx, variant)
                ),
                RESTART
              )
            ]
          : [];
      }
    });
  }
  const tfCuda = parseCuda(tensorflow?.cuda);
  if (tensorflow && tfCuda && tensorflow.is_cuda_build !== false) {
    built.push({
      name: `tensorflow ${tensorflow.version}`,
      cuda: tfCuda,
      verify: VERIFY.tensorflow,
      fixes: driverCuda => {
        const row = ctx.table.tensorflow.rows.find(
          r => compareCuda(parseCuda(r.cuda)!, driverCuda) <= 0
        );
        return row
          ? [
              fix(
                `Install TensorFlow ${row.version}, built for CUDA ${row.cuda}`,
                pip(`tensorflow[and-cuda]==${row.version}.*`),
                RESTART
              )
            ]
          : [];
      }
    });
  }
  for (const [plugin, version] of Object.entries(jax?.plugins ?? {})) {
    const major = /jax-cuda(\d+)-/.exec(plugin)?.[1];
    if (major) {
      built.push({
        name: `${plugin} ${version}`,
        cuda: [Number(major), 0],
        verify: VERIFY.jax,
        fixes: driverCuda =>
          driverCuda[0] >= 12
            ? [
                fix(
                  `Install JAX for CUDA ${driverCuda[0]}`,
                  pip('--upgrade', `jax[cuda${driverCuda[0]}]`),
                  RESTART
                )
              ]
            : []
      });
    }
  }
  return built;
}

export function tensorflowRow(ctx: IContext, version: string) {
  return ctx.table.tensorflow.rows.find(r => r.version === majorMinor(version));
}
