/** JAX: jax-cuda-mismatch. */
import { IContext } from '../context';
import { fix, pip, RESTART, VERIFY } from '../fixes';
import { IText, listed, sentences, t } from '../text';
import { IEvidence, IFinding } from '../types';
import { compare, localLabel, publicVersion } from '../versions';
import { unmetRequirements } from './requirements';

/**
 * The cuDNN a pre-plugin jaxlib CUDA wheel needs, from its local tag (0.3.25+cuda11.cudnn82 ->
 * 8.2; 0.1.65+cuda112 -> what the table says that wheel was built with).
 */
function jaxlibCudnn(
  ctx: IContext,
  jaxlib: string
): { needs: string; source: string } | null {
  const tag = localLabel(jaxlib);
  if (!tag) {
    return null;
  }
  const digits = /cudnn(\d)(\d+)/.exec(tag);
  const row = ctx.table.jax.jaxlib_local_tags?.find(
    r => r.jaxlib === publicVersion(jaxlib)
  );
  const cuda = /^(cuda\d+)/.exec(tag)?.[1];
  const stated = cuda
    ? /^\d+(\.\d+)*/.exec(row?.cudnn_min?.[cuda] ?? '')?.[0]
    : undefined;
  const needs = digits
    ? `${digits[1]}.${digits[2].length > 1 ? `${digits[2][0]}.${digits[2].slice(1)}` : digits[2]}`
    : stated;
  return needs
    ? { needs, source: row?.source ?? ctx.table.jax.meta.sources[0] }
    : null;
}

/** A pre-plugin jaxlib (local tag +cudaXXX) with a loaded cuDNN older than it was built for. */
function jaxlibCudnnTooOld(ctx: IContext): IFinding[] {
  const jaxlib = ctx.facts.frameworks.jax?.jaxlib;
  const wanted = jaxlib ? jaxlibCudnn(ctx, jaxlib) : null;
  // Fires on the copy that is there (the first of its major), not on an absence.
  if (!wanted || ctx.os !== 'linux') {
    return [];
  }
  const major = wanted.needs.split('.')[0];
  const loaded = ctx.facts.cuda.libraries.find(
    l => l.kind === 'cudnn' && l.version?.split('.')[0] === major
  );
  if (!loaded?.version || compare(loaded.version, wanted.needs) >= 0) {
    return [];
  }
  return [
    {
      id: 'jax-cuda-mismatch',
      severity: 'error',
      title: t(
        'jaxlib %1 needs cuDNN %2; the loader takes cuDNN %3',
        jaxlib!,
        wanted.needs,
        loaded.version
      ),
      explanation: sentences(
        t(
          'This jaxlib wheel was built for cuDNN %1 (its local tag says so), but the first libcudnn.so.%2 found is %3 (%4).',
          wanted.needs,
          major,
          loaded.path,
          loaded.version
        ),
        t(
          'Expect "Loaded runtime CuDNN library … but source was compiled with …" and JAX falling back to the CPU. Install a cuDNN at least that new, or a jaxlib built for the cuDNN here.'
        )
      ),
      evidence: [
        { label: 'jaxlib', value: jaxlib! },
        {
          label: t('cuDNN loaded'),
          value: `${loaded.version} (${loaded.path})`
        }
      ],
      fixes: [],
      verify: VERIFY.jax,
      sources: [wanted.source],
      restart: true
    }
  ];
}

/**
 * The libraries whose versions JAX itself checks when its CUDA backend starts (xla_bridge's
 * _check_cuda_versions: CUDA runtime, cuDNN, cuFFT, cuSOLVER, CUPTI, cuBLAS, cuSPARSE). The other
 * floors of the `with-cuda` extra (nvcc, nvrtc, nvJitLink, NCCL, NVSHMEM) are what pip installs,
 * not what JAX needs to run: Colab ran jax 0.5.x with nvidia-cuda-nvcc-cu12 12.5.82 below the
 * extra's 12.6.85 (its 2025 package lists), healthy.
 */
const CHECKED_AT_RUNTIME =
  /^nvidia-(cuda-runtime|cudnn|cufft|cusolver|cuda-cupti|cublas|cusparse)(-cu\d+)?\b/;

export function jaxCudaMismatch(ctx: IContext): IFinding[] {
  const jax = ctx.facts.frameworks.jax;
  if (!jax?.jaxlib || !Object.keys(jax.plugins).length) {
    return jaxlibCudnnTooOld(ctx);
  }
  const jaxlib = publicVersion(jax.jaxlib);
  const problems: IText[] = [];
  const evidence: IEvidence[] = [
    { label: 'jaxlib', value: jax.jaxlib },
    ...Object.entries(jax.plugins).map(([name, v]) => ({
      label: name,
      value: v
    }))
  ];
  let major: string | null = null;
  for (const [plugin, version] of Object.entries(jax.plugins)) {
    major = /jax-cuda(\d+)-/.exec(plugin)?.[1] ?? major;
    if (publicVersion(version) !== jaxlib) {
      problems.push(
        t(
          '%1 %2 is not jaxlib %3: the plugin must be the same version as jaxlib',
          plugin,
          version,
          jaxlib
        )
      );
    }
  }
  // The plugin's own release (it equals jaxlib's when the pair is right; jax may be newer).
  const row = ctx.table.jax.rows.find(r => r.version === jaxlib);
  const floors = (
    (major === '13' ? row?.cuda13 : major === '12' ? row?.cuda12 : null) ?? []
  ).filter(requirement => CHECKED_AT_RUNTIME.test(requirement));
  const unmet =
    ctx.os === 'linux'
      ? unmetRequirements(ctx, floors ?? []).filter(u => u.installed)
      : [];
  for (const u of unmet) {
    problems.push(
      t('%1 %2 does not meet %3', u.name, `${u.installed}`, u.specifier)
    );
    evidence.push({
      label: u.name,
      value: t('%1 (JAX wants %2)', `${u.installed}`, u.specifier)
    });
  }
  if (!problems.length) {
    return [];
  }
  const cuda = major ?? '12';
  return [
    {
      id: 'jax-cuda-mismatch',
      severity: 'error',
      title: t("JAX's CUDA plugin does not match: %1", problems[0]),
      explanation: t(
        '%1. JAX then fails to initialise its CUDA backend and falls back to the CPU ("An NVIDIA GPU may be present on this machine, but a CUDA-enabled jaxlib is not installed").',
        listed(problems)
      ),
      evidence,
      fixes: [
        fix(
          t('Reinstall JAX with matching CUDA %1 plugins', cuda),
          pip(
            '-U',
            `jax[cuda${cuda}]==${publicVersion(jax.version ?? jaxlib)}`
          ),
          RESTART
        )
      ],
      verify: VERIFY.jax,
      sources: row ? [row.source] : [],
      restart: true
    }
  ];
}
