/**
 * What the installed frameworks were built for, and which builds this machine can run: the one
 * place that joins the table's releases with the driver (cuda.ts), the GPUs (arch.ts) and Python.
 */
import { archServes } from '../arch';
import { IContext } from '../context';
import { ICudaJudgement, judgeCuda, runs } from '../cuda';
import { fix, pip, RESTART, VERIFY } from '../fixes';
import { ITensorflowRow, ITorchRow } from '../table';
import { t } from '../text';
import { IFix } from '../types';
import {
  compare,
  cudaString,
  majorMinor,
  isValid,
  parseCuda,
  publicVersion,
  satisfies
} from '../versions';
import { hostedBaseline } from './hosted';

export interface IBuiltFor {
  name: string;
  cuda: [number, number];
  verify: string;
  /** The GPUs this build serves only through PTX (they need a driver that supports its CUDA). */
  ptxOnly: boolean;
  /** Fixes that get a build this driver and these GPUs can run, least disturbing first. */
  fixes: () => IFix[];
}

/** The kernel's Python ("3.13.1" -> "3.13.1"), or null when unknown. */
function pythonVersion(ctx: IContext): string | null {
  const v = /^\d+\.\d+(\.\d+)?/.exec(ctx.facts.python.version ?? '')?.[0];
  return v ?? null;
}

/** Is there a wheel for this Python? Unknown Python or range: assume there is. */
export function pythonFits(ctx: IContext, range: string | null): boolean {
  const python = pythonVersion(ctx);
  return !python || !range || satisfies(python, range);
}

const sorted = new WeakMap<object, unknown[]>();

/** A table's rows, newest release first (sorted once per table: the rows never change). */
export function newestFirst<T extends { version: string }>(rows: T[]): T[] {
  let result = sorted.get(rows) as T[] | undefined;
  if (!result) {
    result = [...rows].sort((a, b) => compare(b.version, a.version));
    sorted.set(rows, result);
  }
  return result;
}

const rowsByVersion = new WeakMap<object, Map<string, ITorchRow | undefined>>();

/** The table's row of a torch release (`2.10` finds 2.10.0: PEP 440 equality), looked up once per version. */
export function torchRow(
  ctx: IContext,
  version: string
): ITorchRow | undefined {
  const rows = ctx.table.torch.rows;
  const known =
    rowsByVersion.get(rows) ?? new Map<string, ITorchRow | undefined>();
  rowsByVersion.set(rows, known);
  const wanted = publicVersion(version);
  if (!known.has(wanted)) {
    known.set(
      wanted,
      isValid(wanted)
        ? rows.find(r => compare(r.version, wanted) === 0)
        : undefined
    );
  }
  return known.get(wanted);
}

export function tensorflowRow(ctx: IContext, version: string) {
  return ctx.table.tensorflow.rows.find(r => r.version === majorMinor(version));
}

export function torchIndexUrl(ctx: IContext, variant: string): string {
  return ctx.table.torch.index_url.replace('{variant}', variant);
}

/**
 * The targets a torch build was compiled for: the release's own list for this platform where the
 * table has it (its wheels' get_arch_list()), else the variant's usual list.
 */
export function torchArches(
  ctx: IContext,
  version: string,
  variant: string
): string[] | null {
  const row = torchRow(ctx, version);
  const own = ctx.os === 'windows' ? row?.arch_lists_windows : row?.arch_lists;
  return own?.[variant] ?? ctx.table.torch.arch_lists[variant] ?? null;
}

/** The Pythons a torch release has wheels for, as a specifier: its wheels' list where known. */
export function torchPythons(row: ITorchRow): string | null {
  if (!row.pythons?.length) {
    return row.requires_python;
  }
  const minors = row.pythons
    .map(p => Number(p.split('.')[1]))
    .sort((a, b) => a - b);
  return `>=3.${minors[0]},<3.${minors[minors.length - 1] + 1}`;
}

/** Is there a torch wheel of this release for this Python? The wheels' own list where known. */
export function torchFitsPython(ctx: IContext, row: ITorchRow): boolean {
  const python = pythonVersion(ctx);
  if (python && row.pythons?.length) {
    return row.pythons.includes(majorMinor(python));
  }
  return pythonFits(ctx, row.requires_python);
}

export interface IServes {
  runs: boolean;
  cuda: ICudaJudgement | null;
  /** GPUs without kernels in this build. */
  unserved: string[];
  ptxOnly: boolean;
}

/** Does a build (CUDA `cuda`, compiled for `arches`) run here, on every GPU and this driver? */
export function buildServes(
  ctx: IContext,
  cuda: [number, number] | null,
  arches: string[] | null
): IServes {
  const verdicts = ctx.facts.gpus
    .filter(g => g.compute_capability)
    .map(g => ({ gpu: g, ...archServes(arches ?? [], g.compute_capability!) }));
  const unserved = arches
    ? verdicts.filter(v => v.serves === 'none').map(v => v.gpu.name)
    : [];
  const ptxOnly = !!arches && verdicts.some(v => v.serves === 'ptx');
  const judged = cuda ? judgeCuda(ctx, cuda, ptxOnly) : null;
  return {
    runs: !unserved.length && (!judged || runs(judged)),
    cuda: judged,
    unserved,
    ptxOnly
  };
}

export interface ITorchBuild {
  version: string;
  variant: string;
}

const buildsMemo = new WeakMap<IContext, Map<string, ITorchBuild | null>>();

/**
 * The torch build this machine runs that disturbs least: the given release in another variant
 * (newest index first, as `--torch-backend=auto` picks, but also asking the GPU), else, unless
 * `sameRelease`, the newest other release. Only releases with a wheel for this Python.
 */
export function torchBuildFor(
  ctx: IContext,
  version: string | null,
  sameRelease = false
): ITorchBuild | null {
  const mine = buildsMemo.get(ctx) ?? new Map<string, ITorchBuild | null>();
  buildsMemo.set(ctx, mine);
  const key = `${version ?? ''}|${sameRelease}`;
  if (!mine.has(key)) {
    mine.set(key, firstBuild(ctx, version, sameRelease));
  }
  return mine.get(key)!;
}

function firstBuild(
  ctx: IContext,
  version: string | null,
  sameRelease: boolean
): ITorchBuild | null {
  const same = version ? torchRow(ctx, version) : undefined;
  const rows = [
    ...(same ? [same] : []),
    ...(sameRelease
      ? []
      : newestFirst(ctx.table.torch.rows).filter(r => r !== same))
  ].filter(r => torchFitsPython(ctx, r));
  for (const row of rows) {
    const variant = (row.variants ?? [])
      .filter(v => /^cu\d+$/.test(v))
      .sort((a, b) => Number(b.slice(2)) - Number(a.slice(2)))
      .find(
        v =>
          buildServes(ctx, parseCuda(v), torchArches(ctx, row.version, v)).runs
      );
    if (variant) {
      return { version: row.version, variant };
    }
  }
  return null;
}

/** TensorFlow releases whose CUDA build runs here, for this Python: the runtime's first, then newest first. */
export function tensorflowReleasesFor(ctx: IContext): ITensorflowRow[] {
  const baseline = hostedBaseline(ctx)?.tensorflow;
  const fits = ctx.table.tensorflow.rows.filter(
    r =>
      pythonFits(ctx, r.python) &&
      (ctx.os !== 'windows' ||
        compare(r.version, ctx.table.tensorflow.last_native_windows_gpu) <=
          0) &&
      buildServes(ctx, parseCuda(r.cuda), null).runs
  );
  return fits.sort(
    (a, b) =>
      Number(!!baseline && majorMinor(b.version) === majorMinor(baseline)) -
        Number(!!baseline && majorMinor(a.version) === majorMinor(baseline)) ||
      compare(b.version, a.version)
  );
}

/** A torch build as a fix: `torch==X` (with its companions) from the variant's index. */
export function torchBuildFix(
  ctx: IContext,
  build: ITorchBuild,
  companions: string[] = []
): IFix {
  const row = torchRow(ctx, build.version);
  const pins = companions
    .map(name => [name, row?.[name as 'torchvision' | 'torchaudio']] as const)
    .filter(([, v]) => v)
    .map(([name, v]) => `${name}==${v}+${build.variant}`);
  // The local label pins the build: `==2.5.1` would accept an installed 2.5.1+cpu and change nothing.
  return fix(
    t(
      'Install torch %1 built for CUDA %2 (%3)',
      build.version,
      cudaString(parseCuda(build.variant)!),
      build.variant
    ),
    pip(
      `torch==${build.version}+${build.variant}`,
      ...pins,
      '--index-url',
      torchIndexUrl(ctx, build.variant)
    ),
    RESTART
  );
}

/** A TensorFlow release as a fix: the runtime's plain wheel, else with its CUDA libraries (Linux). */
export function tensorflowFix(ctx: IContext, row: ITensorflowRow): IFix {
  const baseline = hostedBaseline(ctx)?.tensorflow;
  if (baseline && majorMinor(baseline) === row.version) {
    return fix(
      t("Go back to the runtime's TensorFlow %1", baseline),
      pip(`tensorflow==${baseline}`),
      RESTART
    );
  }
  const cuda = row.and_cuda && ctx.os === 'linux';
  const name = row.distribution ?? 'tensorflow';
  return fix(
    cuda
      ? t(
          'Install TensorFlow %1, built for CUDA %2 with its CUDA libraries',
          row.version,
          row.cuda
        )
      : t('Install TensorFlow %1, built for CUDA %2', row.version, row.cuda),
    pip(`${name}${cuda ? '[and-cuda]' : ''}==${row.version}.*`),
    RESTART
  );
}

/** The driver update a build needs, as a fix: only where the host is the user's. */
export function driverFix(ctx: IContext, judgement: ICudaJudgement): IFix[] {
  // The least update that runs the build: the major's minor-version floor where that suffices
  // (not for PTX, which needs the build's own CUDA), else the toolkit's own driver.
  const floorWill =
    judgement.floor && !judgement.ptxOnly && judgement.built[0] >= 11;
  const minimum =
    judgement.verdict === 'incompatible' &&
    (floorWill ? judgement.floor : judgement.directMinimum);
  if (!minimum || ctx.facts.platform.hosted) {
    return [];
  }
  return [
    fix(t('Update the NVIDIA driver to %1 or newer', minimum), {
      kind: 'host',
      text: floorWill
        ? t(
            'Install NVIDIA driver %1 or newer on the host (CUDA %2.x minor-version compatibility), then restart the kernel.',
            minimum,
            judgement.built[0]
          )
        : t(
            'Install NVIDIA driver %1 or newer on the host (it supports CUDA %2 directly), then restart the kernel.',
            minimum,
            cudaString(judgement.built)
          )
    })
  ];
}

/** The builds of the installed frameworks, with how to get one this machine runs. */
export function frameworkCudas(ctx: IContext): IBuiltFor[] {
  const built: IBuiltFor[] = [];
  const { torch, tensorflow, jax } = ctx.facts.frameworks;
  const torchCuda = parseCuda(torch?.cuda);
  if (torch && torchCuda) {
    const variant = `cu${torchCuda[0]}${torchCuda[1]}`;
    const arches = torch.arch_list ?? torchArches(ctx, torch.version, variant);
    built.push({
      name: `torch ${torch.version}`,
      cuda: torchCuda,
      verify: VERIFY.torch,
      ptxOnly: buildServes(ctx, torchCuda, arches).ptxOnly,
      fixes: () => {
        const companions = ['torchvision', 'torchaudio'].filter(
          name => ctx.facts.frameworks[name as 'torchvision']
        );
        const baseline = hostedBaseline(ctx)?.torch;
        const build = torchBuildFor(ctx, baseline ?? torch.version);
        return build ? [torchBuildFix(ctx, build, companions)] : [];
      }
    });
  }
  const tfCuda = parseCuda(tensorflow?.cuda);
  if (tensorflow && tfCuda && tensorflow.is_cuda_build !== false) {
    built.push({
      name: `tensorflow ${tensorflow.version}`,
      cuda: tfCuda,
      verify: VERIFY.tensorflow,
      ptxOnly: false,
      fixes: () =>
        tensorflowReleasesFor(ctx)
          .slice(0, 1)
          .map(row => tensorflowFix(ctx, row))
    });
  }
  for (const [plugin, version] of Object.entries(jax?.plugins ?? {})) {
    const major = /jax-cuda(\d+)-/.exec(plugin)?.[1];
    if (major) {
      built.push({
        name: `${plugin} ${version}`,
        cuda: [Number(major), 0],
        verify: VERIFY.jax,
        ptxOnly: false,
        fixes: () => {
          const driverMajor = ctx.driverCuda?.[0];
          return driverMajor &&
            driverMajor >= 12 &&
            String(driverMajor) !== major
            ? [
                fix(
                  t('Install JAX for CUDA %1', driverMajor),
                  pip('--upgrade', `jax[cuda${driverMajor}]`),
                  RESTART
                )
              ]
            : [];
        }
      });
    }
  }
  return built;
}
