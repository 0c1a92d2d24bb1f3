/**
 * Does a build's compiled code serve a GPU? The rules of NVIDIA's CUDA C++ Programming Guide
 * ("Binary Compatibility", "Application Compatibility") and the Blackwell compatibility guide:
 * - a cubin for sm_XY runs on every GPU of the same major X with a minor at or above Y
 *   (sm_86 serves 8.9; sm_60 serves 6.1), never on another major;
 * - PTX for compute_XY is JIT-compiled by the driver for any GPU of compute capability X.Y or higher
 *   (the driver must support the PTX's CUDA version: see cuda.ts);
 * - arch-specific targets (sm_90a, compute_100a) serve exactly X.Y; family-specific targets
 *   (sm_100f, sm_120f) serve the same major at or above the minor.
 */

export const ARCH_SOURCE =
  'https://docs.nvidia.com/cuda/cuda-c-programming-guide/index.html#binary-compatibility';

export interface IArchServes {
  /** cubin: native code runs; ptx: JIT-compiled from PTX at first use; none: no kernels. */
  serves: 'cubin' | 'ptx' | 'none';
  /** The target that serves it (sm_86, compute_120), when one does. */
  target: string | null;
}

interface ITarget {
  text: string;
  ptx: boolean;
  major: number;
  minor: number;
  variant: '' | 'a' | 'f';
}

/** "sm_86" / "compute_90a" / "sm_100f" -> its parts; anything else -> null. */
export function parseTarget(text: string): ITarget | null {
  const m = /^(sm|compute)_(\d+)(\d)([af]?)$/.exec(text.trim());
  return m
    ? {
        text: text.trim(),
        ptx: m[1] === 'compute',
        major: Number(m[2]),
        minor: Number(m[3]),
        variant: m[4] as '' | 'a' | 'f'
      }
    : null;
}

/** "8.9" -> [8, 9]. */
export function parseCapability(cc: string): [number, number] | null {
  const m = /^(\d+)\.(\d+)$/.exec(cc.trim());
  return m ? [Number(m[1]), Number(m[2])] : null;
}

function targetServes(t: ITarget, [major, minor]: [number, number]): boolean {
  if (t.variant === 'a') {
    return t.major === major && t.minor === minor;
  }
  if (t.ptx && t.variant === '') {
    return major > t.major || (major === t.major && minor >= t.minor);
  }
  return t.major === major && minor >= t.minor; // cubin, or a family target
}

/** How the targets a build was compiled for serve a GPU of compute capability `cc`. */
export function archServes(targets: string[], cc: string): IArchServes {
  const capability = parseCapability(cc);
  if (!capability) {
    return { serves: 'none', target: null };
  }
  const parsed = targets
    .map(parseTarget)
    .filter((t): t is ITarget => t !== null);
  const cubin = parsed.find(t => !t.ptx && targetServes(t, capability));
  if (cubin) {
    return { serves: 'cubin', target: cubin.text };
  }
  const ptx = parsed.find(t => t.ptx && targetServes(t, capability));
  return ptx
    ? { serves: 'ptx', target: ptx.text }
    : { serves: 'none', target: null };
}

/** "sm_61" for compute capability "6.1". */
export function smName(cc: string): string {
  return `sm_${cc.replace('.', '')}`;
}
