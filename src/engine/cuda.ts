/**
 * Can this driver run code built for CUDA X.Y? NVIDIA's compatibility model, as documented:
 * - direct: the driver supports CUDA X.Y itself (its CUDA version is X.Y or newer; Table 3 of the
 *   CUDA Toolkit release notes gives the driver each toolkit shipped with);
 * - minor-version compatible: from CUDA 11 on, a build for X.Y runs on any driver of the same major
 *   at or above the major's floor (11.x: 450.80.02 Linux / 452.39 Windows; 12.x: the R525 branch;
 *   13.x: the R580 branch), with a limited feature set; PTX is the exception: the driver JIT-compiles
 *   PTX only of a CUDA version it supports itself;
 * - forward-compatible: a `cuda-compat` user-mode driver for X.Y or newer is on the loader's path;
 * - incompatible: anything else (another major, below the floor, or before CUDA 11).
 * One judgement for every rule that compares CUDA versions.
 */
import { IText, t } from './text';
import { IContext } from './context';
import { compareCuda, compareNumeric, cudaString, parseCuda } from './versions';

export type CudaVerdict =
  | 'direct'
  | 'minor-compatible'
  | 'forward-compatible'
  | 'incompatible'
  | 'unknown';

export const MINOR_COMPAT_SOURCE =
  'https://docs.nvidia.com/deploy/cuda-compatibility/minor-version-compatibility.html';
export const FORWARD_COMPAT_SOURCE =
  'https://docs.nvidia.com/deploy/cuda-compatibility/forward-compatibility.html';

export interface ICudaJudgement {
  verdict: CudaVerdict;
  built: [number, number];
  /** The driver that supports CUDA X.Y directly (the toolkit's own driver), for this platform. */
  directMinimum: string | null;
  /** The major's minor-version floor, for this platform. */
  floor: string | null;
  /** The GPU is served only through PTX, which the driver JIT-compiles. */
  ptxOnly: boolean;
  /** The rule as it applies here, one sentence, for the evidence. */
  rule: IText;
  source: string;
}

/** The key of the driver columns: WSL uses the Windows driver. */
export function driverPlatform(ctx: IContext): 'linux' | 'windows' {
  return ctx.os === 'windows' || ctx.facts.platform.wsl ? 'windows' : 'linux';
}

/** The driver that supports CUDA `cuda` directly on this platform (Table 3), if the table has it. */
export function directMinimum(
  ctx: IContext,
  cuda: [number, number]
): string | null {
  const row = ctx.table['cuda-driver'].rows.find(
    r => compareCuda(parseCuda(r.cuda)!, cuda) === 0
  );
  return row ? driverOf(row, driverPlatform(ctx)) : null;
}

/**
 * A row's driver for a platform. From CUDA 13.1 the toolkit bundles no Windows driver (Table 3
 * says N/A): a Windows driver of the same branch and number serves it, so the Linux one stands in.
 */
function driverOf(
  row: { cuda: string; linux: string; windows: string | null },
  platform: 'linux' | 'windows'
): string {
  return platform === 'windows' ? (row.windows ?? row.linux) : row.linux;
}

function majorFloor(ctx: IContext, major: number): string | null {
  const row = ctx.table['cuda-driver'].minor_version_compatibility.find(
    r => r.cuda_major === String(major)
  );
  return row ? (row[driverPlatform(ctx)] ?? row.linux) : null;
}

/**
 * The highest CUDA a driver version supports, from the table (the newest toolkit whose own driver
 * is at or below it): used when only the driver's version is known, as in a pasted report.
 */
export function cudaOfDriver(
  ctx: Pick<IContext, 'table' | 'os' | 'facts'>,
  version: string
): [number, number] | null {
  const key =
    ctx.os === 'windows' || ctx.facts.platform.wsl ? 'windows' : 'linux';
  let best: [number, number] | null = null;
  for (const row of ctx.table['cuda-driver'].rows) {
    const minimum = driverOf(row, key);
    const cuda = parseCuda(row.cuda);
    if (
      minimum &&
      cuda &&
      compareNumeric(version, minimum) >= 0 &&
      (!best || compareCuda(cuda, best) > 0)
    ) {
      best = cuda;
    }
  }
  return best;
}

/** A `cuda-compat` package on the loader's path that supports `built`. */
function forwardCompat(ctx: IContext, built: [number, number]) {
  return (ctx.facts.cuda.compat ?? []).find(c => {
    const cuda = parseCuda(c.cuda);
    return c.on_loader_path && cuda && compareCuda(cuda, built) >= 0;
  });
}

/**
 * Judge a build for CUDA `built` against this driver. `ptxOnly`: the GPU is served by the build
 * only through PTX, which the driver must JIT-compile.
 */
export function judgeCuda(
  ctx: IContext,
  built: [number, number],
  ptxOnly = false
): ICudaJudgement {
  const driverCuda = ctx.driverCuda;
  const version = ctx.facts.driver.version;
  const floor = built[0] >= 11 ? majorFloor(ctx, built[0]) : null;
  const base = {
    built,
    ptxOnly,
    directMinimum: directMinimum(ctx, built),
    floor,
    source: MINOR_COMPAT_SOURCE
  };
  const X = cudaString(built);
  const driver = version
    ? driverCuda
      ? t('driver %1 (CUDA %2)', version, cudaString(driverCuda))
      : t('driver %1', version)
    : driverCuda
      ? t('driver (CUDA %1)', cudaString(driverCuda))
      : t('driver');
  if (!driverCuda) {
    return {
      ...base,
      verdict: 'unknown',
      rule: t('The driver did not say which CUDA it supports.')
    };
  }
  if (compareCuda(driverCuda, built) >= 0) {
    return {
      ...base,
      verdict: 'direct',
      rule: t('direct: the %1 supports CUDA %2.', driver, X)
    };
  }
  const compat = forwardCompat(ctx, built);
  if (compat) {
    return {
      ...base,
      verdict: 'forward-compatible',
      source: FORWARD_COMPAT_SOURCE,
      rule: t(
        "forward-compatible: the cuda-compat driver %1 for CUDA %2 (%3) is on the loader's path.",
        compat.version ?? '',
        compat.cuda ?? '?',
        compat.path
      )
    };
  }
  if (built[0] < 11) {
    return {
      ...base,
      verdict: 'incompatible',
      rule: base.directMinimum
        ? t(
            'incompatible: before CUDA 11 there is no minor-version compatibility; CUDA %1 needs driver %2 or newer; this is the %3.',
            X,
            base.directMinimum,
            driver
          )
        : t(
            'incompatible: before CUDA 11 there is no minor-version compatibility; CUDA %1 needs the driver of its own toolkit or newer; this is the %2.',
            X,
            driver
          )
    };
  }
  if (driverCuda[0] !== built[0]) {
    return {
      ...base,
      verdict: 'incompatible',
      rule: t(
        'incompatible: minor-version compatibility holds within a major only; the %1 is older than CUDA %2.0.',
        driver,
        built[0]
      )
    };
  }
  // Within the major: the floor decides. Without the driver's own version, a driver that supports
  // X.1 or newer is past every floor (for 12 and 13 the floor is the X.0 driver itself).
  const aboveFloor = version
    ? !floor || compareNumeric(version, floor) >= 0
    : driverCuda[1] >= 1 || built[0] >= 12
      ? true
      : null;
  if (aboveFloor === null) {
    return {
      ...base,
      verdict: 'unknown',
      rule: t(
        "CUDA %1.x minor-version compatibility needs driver %2 or newer; the driver's version is unknown.",
        built[0],
        String(floor)
      )
    };
  }
  if (!aboveFloor) {
    return {
      ...base,
      verdict: 'incompatible',
      rule: t(
        'incompatible: CUDA %1.x minor-version compatibility needs driver %2 or newer; this is the %3.',
        built[0],
        String(floor),
        driver
      )
    };
  }
  if (ptxOnly) {
    return {
      ...base,
      verdict: 'incompatible',
      source:
        'https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#just-in-time-compilation',
      rule: t(
        'incompatible for this GPU: the build serves it only through PTX, and the %1 cannot JIT-compile PTX of CUDA %2 (minor-version compatibility does not cover PTX).',
        driver,
        X
      )
    };
  }
  return {
    ...base,
    verdict: 'minor-compatible',
    rule: floor
      ? t(
          'minor-version compatible: CUDA %1.x builds run on drivers %2 and newer; this is the %3.',
          built[0],
          floor,
          driver
        )
      : t(
          'minor-version compatible: CUDA %1.x builds run on drivers of CUDA %1.x; this is the %2.',
          built[0],
          driver
        )
  };
}

/** Only an incompatible build is a problem; every other verdict runs (or is not known not to). */
export function runs(judgement: ICudaJudgement): boolean {
  return judgement.verdict !== 'incompatible';
}
