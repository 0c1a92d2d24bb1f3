/**
 * Several copies of one CUDA library (one soname: libcudart.so.11.0, libcudnn.so.9): which copy the
 * loader takes, and what that breaks. library-shadowed, multiple-cuda-toolkits.
 *
 * The dynamic loader searches LD_LIBRARY_PATH before a library's RUNPATH (where torch and
 * TensorFlow find their pip `nvidia/*\/lib` copies) and before the system folders (ld.so(8),
 * "Rpath token expansion" and search order); it reads LD_LIBRARY_PATH once, when the process starts.
 */
import { IContext } from '../context';
import { fix, pip, RESTART } from '../fixes';
import { ILibrary } from '../facts';
import { quoteArg } from '../quote';
import { Arg, sentences, t } from '../text';
import { IFinding, IFix } from '../types';
import { compare } from '../versions';
import { tensorflowRow, torchRow } from './frameworks';

const LOADER_SOURCE = 'https://man7.org/linux/man-pages/man8/ld.so.8.html';

const NAMES: Record<string, string> = {
  cudart: 'CUDA runtime',
  cudnn: 'cuDNN',
  cublas: 'cuBLAS',
  cufft: 'cuFFT',
  nccl: 'NCCL',
  nvrtc: 'NVRTC',
  tensorrt: 'TensorRT'
};

/** Where a copy was found, in words. */
const SOURCES: Record<ILibrary['source'], Arg> = {
  ld_library_path: t('ld library path'),
  pip: 'pip',
  conda: 'conda',
  toolkit: t('toolkit'),
  system: t('system')
};

function sourceName(lib: ILibrary): Arg {
  return SOURCES[lib.source] ?? lib.source.replace(/_/g, ' ');
}

/** A copy of a library for the evidence: its path, version and where it was found. */
function copyValue(lib: ILibrary): Arg {
  return t('%1 (%2, %3)', lib.path, lib.version!, sourceName(lib));
}

interface ICopies {
  kind: ILibrary['kind'];
  major: string;
  /** In the loader's order: LD_LIBRARY_PATH first, then pip (RUNPATH), conda, toolkits, the system. */
  copies: ILibrary[];
}

function folder(path: string): string {
  return path.slice(0, path.lastIndexOf('/')) || '/';
}

/** Copies of the same soname (kind and major version) in more than one folder, with different versions. */
function duplicated(ctx: IContext): ICopies[] {
  const groups = new Map<string, ICopies>();
  for (const lib of ctx.facts.cuda.libraries) {
    const major = lib.version?.split('.')[0];
    if (!major) {
      continue;
    }
    const key = `${lib.kind}:${major}`;
    const group = groups.get(key) ?? { kind: lib.kind, major, copies: [] };
    group.copies.push(lib);
    groups.set(key, group);
  }
  return [...groups.values()].filter(
    g => new Set(g.copies.map(c => c.version)).size > 1
  );
}

/** The folders of LD_LIBRARY_PATH without `drop`, as the fix's value. */
function pathWithout(ctx: IContext, drop: Set<string>): string {
  return String(ctx.facts.env.LD_LIBRARY_PATH ?? '')
    .split(':')
    .filter(d => d && !drop.has(d.replace(/\/+$/, '')))
    .join(':');
}

/** Set LD_LIBRARY_PATH where the kernel's loader reads it: before the kernel process starts. */
function loaderPathFix(ctx: IContext, value: string): IFix {
  const assignment = `LD_LIBRARY_PATH=${value ? quoteArg(value) : "''"}`;
  return fix(
    t('Start the kernel without the shadowing folders on LD_LIBRARY_PATH'),
    {
      kind: 'host',
      text: t(
        'the loader reads LD_LIBRARY_PATH once, when the kernel starts (%env in a running kernel does not change it): run `export %1` before starting Jupyter, or set "env": {"LD_LIBRARY_PATH": %2} in this kernel\'s kernel.json (`jupyter kernelspec list` shows where), then restart the kernel.',
        assignment,
        JSON.stringify(value)
      )
    },
    { kind: 'shell', text: 'jupyter kernelspec list' }
  );
}

/** Python that imports the framework and prints the copies of the library this process loaded. */
function verifyLoaded(ctx: IContext, kind: string): string {
  const { torch, tensorflow } = ctx.facts.frameworks;
  const load = torch
    ? 'import torch\nprint("cuDNN", torch.backends.cudnn.version(), "CUDA available:", torch.cuda.is_available())'
    : tensorflow
      ? 'import tensorflow as tf\nprint(tf.config.list_physical_devices("GPU"))'
      : 'import ctypes, ctypes.util';
  return `${load}\nprint(sorted({line.split()[-1] for line in open("/proc/self/maps") if "lib${kind}" in line}))`;
}

export function libraryCopies(ctx: IContext): IFinding[] {
  if (ctx.os !== 'linux' || !ctx.scanned('libraries')) {
    return [];
  }
  const findings: IFinding[] = [];
  for (const group of duplicated(ctx)) {
    const name = `${NAMES[group.kind] ?? group.kind} ${group.major}`;
    const [loaded, ...others] = group.copies;
    const onPath = group.copies.filter(c => c.source === 'ld_library_path');
    const pinned = group.copies.find(c => c.source === 'pip');
    const evidence = [
      ...group.copies.map((c, i) => ({
        label:
          i === 0 ? t('loaded (first in the search order)') : t('not loaded'),
        value: copyValue(c)
      })),
      {
        label: 'LD_LIBRARY_PATH',
        value: String(ctx.facts.env.LD_LIBRARY_PATH ?? '')
      }
    ];
    if (loaded.source === 'ld_library_path' && pinned) {
      const older = compare(loaded.version!, pinned.version!) < 0;
      findings.push({
        id: 'library-shadowed',
        severity: older ? 'error' : 'warning',
        title: t(
          '%1 %2 on LD_LIBRARY_PATH shadows the %3 the frameworks installed',
          name,
          loaded.version!,
          pinned.version!
        ),
        explanation: sentences(
          t(
            "The loader searches LD_LIBRARY_PATH before the folders a framework's own libraries point to, so it loads %1 (%2) instead of %3 (%4), the copy pip installed for the framework.",
            loaded.path,
            loaded.version!,
            pinned.path,
            pinned.version!
          ),
          older
            ? t(
                'An older %1 than the framework was built with fails, e.g. "cuDNN version incompatibility: PyTorch was compiled against … but found runtime version …" or missing symbols.',
                NAMES[group.kind] ?? group.kind
              )
            : t(
                'A different copy than the one tested with the framework is loaded; remove it from the path unless you need it.'
              )
        ),
        evidence,
        fixes: [
          loaderPathFix(
            ctx,
            pathWithout(ctx, new Set(onPath.map(c => folder(c.path))))
          )
        ],
        verify: verifyLoaded(ctx, group.kind),
        sources: [LOADER_SOURCE],
        restart: true
      });
    } else if (onPath.length > 1) {
      const keep = [...onPath].sort((a, b) =>
        compare(b.version!, a.version!)
      )[0];
      const drop = new Set(
        onPath.filter(c => c !== keep).map(c => folder(c.path))
      );
      findings.push({
        id: 'multiple-cuda-toolkits',
        severity: 'warning',
        title: t(
          '%1 copies of %2 on LD_LIBRARY_PATH: %3',
          onPath.length,
          name,
          onPath.map(c => c.version).join(', ')
        ),
        explanation: sentences(
          t(
            'Each folder holds its own %1 with the same soname; the loader takes the first, %2 (%3), and never the others (%4).',
            NAMES[group.kind] ?? group.kind,
            loaded.path,
            loaded.version!,
            others.map(c => c.version).join(', ')
          ),
          t(
            'A framework built for a newer %1.x than the one loaded can fail with missing symbols or "CUDA driver version is insufficient".',
            group.major
          ),
          t(
            'Keep one copy on the path, the newest (%1): it also serves builds for older %2.x releases.',
            keep.version!,
            group.major
          )
        ),
        evidence,
        fixes: [loaderPathFix(ctx, pathWithout(ctx, drop))],
        verify: verifyLoaded(ctx, group.kind),
        sources: [LOADER_SOURCE],
        restart: true
      });
    }
  }
  return findings;
}

/** The cuDNN each framework was compiled with (major.minor), from its facts or the table. */
function cudnnBuiltWith(
  ctx: IContext
): { who: string; version: string; pipName: string | null }[] {
  const wants: { who: string; version: string; pipName: string | null }[] = [];
  const { torch, tensorflow } = ctx.facts.frameworks;
  if (tensorflow?.cudnn && tensorflow.is_cuda_build !== false) {
    const row = tensorflowRow(ctx, tensorflow.version);
    const stated = tensorflow.cudnn;
    const version =
      !stated.includes('.') && row?.cudnn.startsWith(`${stated}.`)
        ? row.cudnn
        : stated;
    const major = tensorflow.cuda?.split('.')[0];
    wants.push({
      who: `TensorFlow ${tensorflow.version}`,
      version,
      pipName: major ? `nvidia-cudnn-cu${major}` : null
    });
  }
  if (torch?.cuda) {
    const pins = [
      ...(torch.requires ?? []),
      ...Object.entries(torchRow(ctx, torch.version)?.pins ?? {}).map(
        ([n, v]) => `${n}${v}`
      )
    ];
    const pin = pins
      .map(line => /^(nvidia-cudnn-cu\d+)\s*\(?==\s*([\d.]+)/.exec(line))
      .find(m => m);
    const installed = pin ? ctx.facts.packages[pin[1]] : undefined;
    const version = installed ?? pin?.[2];
    if (version) {
      wants.push({ who: `torch ${torch.version}`, version, pipName: pin![1] });
    }
  }
  return wants;
}

/**
 * The cuDNN the loader takes must be the framework's major with a minor at or above the one it was
 * compiled with (the check TensorFlow and torch make at load: "Loaded runtime CuDNN library: 9.1.0
 * but source was compiled with: 9.3.0"; "PyTorch was compiled against (8, 7, 0) but found runtime
 * version (8, 2, 4)").
 */
export function cudnnTooOld(ctx: IContext): IFinding[] {
  // Fires on a copy that is there (and first), not on an absence: a partial list is enough.
  if (ctx.os !== 'linux') {
    return [];
  }
  const findings: IFinding[] = [];
  for (const want of cudnnBuiltWith(ctx)) {
    const [major, minor] = want.version.split('.').map(Number);
    const copies = ctx.facts.cuda.libraries.filter(
      l => l.kind === 'cudnn' && l.version?.split('.')[0] === String(major)
    );
    const loaded = copies[0];
    if (!loaded?.version) {
      continue;
    }
    const loadedMinor = Number(loaded.version.split('.')[1] ?? 0);
    const pipCopy = copies.find(c => c.source === 'pip');
    if (
      loadedMinor >= minor ||
      (loaded.source === 'ld_library_path' && pipCopy && pipCopy !== loaded)
    ) {
      continue; // new enough, or libraryCopies reports the shadowing copy on LD_LIBRARY_PATH
    }
    const better = copies.find(
      c => Number(c.version?.split('.')[1] ?? 0) >= minor
    );
    const fixes: IFix[] = [];
    if (better && loaded.source === 'ld_library_path') {
      fixes.push(
        loaderPathFix(
          ctx,
          pathWithout(
            ctx,
            new Set(
              copies
                .filter(c => c.source === 'ld_library_path')
                .map(c => folder(c.path))
            )
          )
        )
      );
    } else if (want.pipName) {
      fixes.push(
        fix(
          t('Install the cuDNN %1 was built with', want.who),
          pip(`${want.pipName}>=${major}.${minor},<${major + 1}`),
          RESTART
        )
      );
    }
    findings.push({
      id: 'library-shadowed',
      severity: 'error',
      title: t(
        '%1 was compiled with cuDNN %2; the loader takes cuDNN %3',
        want.who,
        `${major}.${minor}`,
        loaded.version
      ),
      explanation: sentences(
        t(
          'cuDNN must have the major version a framework was compiled with and an equal or higher minor version.'
        ),
        t(
          "The first libcudnn.so.%1 in the loader's search order is %2 (%3, %4), older than the %5 %6 was compiled with.",
          major,
          loaded.path,
          loaded.version,
          sourceName(loaded),
          `${major}.${minor}`,
          want.who
        ),
        t(
          'Expect "Loaded runtime CuDNN library … but source was compiled with …" or "cuDNN version incompatibility", and "DNN library initialization failed" at the first convolution.'
        )
      ),
      evidence: [
        {
          label: want.who,
          value: t('compiled with cuDNN %1', `${major}.${minor}`)
        },
        ...copies.map((c, i) => ({
          label:
            i === 0 ? t('loaded (first in the search order)') : t('not loaded'),
          value: copyValue(c)
        }))
      ],
      fixes,
      verify: verifyLoaded(ctx, 'cudnn'),
      sources: [
        LOADER_SOURCE,
        'https://docs.nvidia.com/deeplearning/cudnn/backend/latest/reference/support-matrix.html'
      ],
      restart: true
    });
  }
  return findings;
}
