/** The probe's facts (python_kernel_probe/probe.py), as validated by src/schemas/facts.schema.json. */
import factsSchema from '../schemas/facts.schema.json';
import { ISchema, validate } from './jsonSchema';

export interface IGpu {
  index?: number;
  name: string;
  compute_capability: string | null;
  memory_mib?: number | null;
  uuid?: string | null;
}

export interface ILibrary {
  kind: 'cudart' | 'cudnn' | 'cublas' | 'cufft' | 'nccl' | 'nvrtc' | 'tensorrt';
  path: string;
  files?: string[];
  source: 'ld_library_path' | 'pip' | 'conda' | 'toolkit' | 'system';
  version: string | null;
  version_from?: string | null;
  package?: string | null;
}

export interface IToolkit {
  path: string;
  real_path?: string;
  version: string | null;
  nvcc?: boolean;
}

export interface ICompatDriver {
  path: string;
  /** The user-mode driver's version, from the file name (libcuda.so.570.124.06). */
  version: string | null;
  /** The CUDA it supports (from the folder, cuda-12.8). */
  cuda: string | null;
  /** On LD_LIBRARY_PATH (or the loader's cache): only then does the process use it. */
  on_loader_path: boolean;
}

/** true: the scan ran (so an absence is real); false: nothing is known. */
export interface IScans {
  /** Installed distributions (the packages map is complete). */
  packages?: boolean;
  /** CUDA, cuDNN and friends on disk (the libraries list is complete). */
  libraries?: boolean;
  /** The driver and GPUs were asked (an empty GPU list means none answered). */
  gpus?: boolean;
}

export interface ITorchFacts {
  version: string;
  cuda: string | null;
  hip?: string | null;
  git_version?: string | null;
  requires?: string[];
  bundled_libs?: string[];
  /** The targets it was compiled for (sm_86, compute_90), where a report states them. */
  arch_list?: string[];
}

export interface ICompanionFacts {
  version: string;
  cuda?: string | null;
}

export interface ITensorflowFacts {
  distribution?: string;
  version: string;
  cuda: string | null;
  cudnn: string | null;
  is_cuda_build: boolean | null;
  requires?: string[];
}

export interface IJaxFacts {
  version: string | null;
  jaxlib: string | null;
  plugins: Record<string, string>;
  jaxlib_cuda?: string | null;
  jaxlib_cudnn?: string | null;
}

export interface IBitsandbytesFacts {
  version: string;
  binaries: string[];
  cuda_versions?: string[];
}

export interface IFacts {
  schema_version: 1;
  probe_version: string;
  timing_ms?: number;
  python: {
    version: string;
    implementation?: string;
    executable: string;
    prefix?: string;
    venv?: boolean;
    conda?: boolean;
  };
  platform: {
    system: string;
    release?: string;
    machine?: string;
    distro?: {
      id?: string | null;
      version_id?: string | null;
      pretty_name?: string | null;
    } | null;
    wsl?: boolean;
    container?: string | null;
    hosted?: { name: string; release?: string | null } | null;
  };
  gpus: IGpu[];
  driver: {
    version: string | null;
    cuda_version: string | null;
    source?: string | null;
    init_error?: number | null;
  };
  devices?: { dev_nodes: string[]; proc_driver: boolean };
  cuda: {
    toolkits: IToolkit[];
    libraries: ILibrary[];
    /** `cuda-compat` forward-compatibility drivers found (`/usr/local/cuda-X.Y/compat/libcuda.so.*`). */
    compat?: ICompatDriver[];
  };
  /** Which scans ran; absent: every one (the probe runs them all). */
  scans?: IScans;
  /** Facts read from a pasted report or a log rather than probed: what they do not state is unknown. */
  partial?: boolean;
  /** The date the facts describe (YYYY-MM-DD), for a pasted report: a hosted runtime's baseline then. */
  as_of?: string;
  /** The facts of a hosted runtime a notebook is checked for (`colab@2025.07`), not of a kernel. */
  target?: string;
  packages: Record<string, string>;
  frameworks: {
    torch?: ITorchFacts | null;
    torchvision?: ICompanionFacts | null;
    torchaudio?: ICompanionFacts | null;
    tensorflow?: ITensorflowFacts | null;
    jax?: IJaxFacts | null;
    bitsandbytes?: IBitsandbytesFacts | null;
    imported: Record<string, string | null>;
  };
  env: Record<string, unknown>;
  errors: { step: string; message: string }[];
}

/** A result that is either the value or a message that names what was wrong. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Validate an unknown value (a kernel reply, a file) as facts; the message names the first bad fields. */
export function parseFacts(value: unknown): Parsed<IFacts> {
  const errors = validate(value, factsSchema as ISchema);
  if (errors.length) {
    const shown = errors.slice(0, 3).map(e => `${e.path} ${e.message}`);
    return {
      ok: false,
      error: `The probe's facts do not match the schema: ${shown.join('; ')}`
    };
  }
  return { ok: true, value: value as IFacts };
}

/** The facts of an environment nothing is known about yet: only checks that need no environment fire. */
export function unknownFacts(): IFacts {
  return {
    schema_version: 1,
    probe_version: 'none',
    python: { version: '', executable: '' },
    platform: { system: 'Linux' },
    gpus: [],
    driver: { version: null, cuda_version: null },
    cuda: { toolkits: [], libraries: [] },
    packages: {},
    frameworks: { imported: {} },
    env: {},
    errors: []
  };
}
