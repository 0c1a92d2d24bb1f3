/** The bundled compatibility table (src/compat/*.json), validated against its schema. */
import bitsandbytes from '../compat/bitsandbytes.json';
import computeCapability from '../compat/compute-capability.json';
import cudaDriver from '../compat/cuda-driver.json';
import gpuNames from '../compat/gpu-names.json';
import hostedRuntimes from '../compat/hosted-runtimes.json';
import jax from '../compat/jax.json';
import tensorflow from '../compat/tensorflow.json';
import torch from '../compat/torch.json';
import tableSchema from '../schemas/table.schema.json';
import { Parsed } from './facts';
import { ISchema, validate } from './jsonSchema';

interface IMeta {
  subject: string;
  schema_version: 1;
  made: string;
  sources: string[];
}

interface ISubject<Row> {
  meta: IMeta;
  rows: Row[];
}

export interface ITensorflowRow {
  version: string;
  python: string;
  cuda: string;
  cudnn: string;
  and_cuda: Record<string, string> | null;
  /** The pip package with the GPU build: `tensorflow-gpu` up to 2.0 (absent: `tensorflow`). */
  distribution?: string;
  /** The TensorRT major it dlopens (libnvinfer.so.N); null from 2.18 (TensorRT support disabled). */
  tensorrt?: string | null;
  source: string;
}

export interface ITorchRow {
  version: string;
  default_cuda: string | null;
  variants: string[] | null;
  pins: Record<string, string> | null;
  requires_python: string | null;
  torchvision: string | null;
  torchaudio: string | null;
  /** The targets of this release's Linux wheels per variant (what get_arch_list() says), where known. */
  arch_lists?: Record<string, string[]>;
  /** The same for the Windows wheels (download.pytorch.org; PyPI's Windows wheels are CPU-only). */
  arch_lists_windows?: Record<string, string[]>;
  /** The CPython minors with wheels ("3.9"), where known: Requires-Python gives no upper bound. */
  pythons?: string[];
  /** Where the row came from (kept in the table for people; the bundles leave it out). */
  provenance?: string;
  source: string;
}

export interface IJaxRow {
  version: string;
  requires_python: string | null;
  cuda12: string[] | null;
  cuda13: string[] | null;
  source: string;
}

export interface IBitsandbytesRow {
  version: string;
  cuda: string[];
  source: string;
}

export interface ICudaDriverRow {
  cuda: string;
  linux: string;
  windows: string | null;
  source: string;
}

export interface IGpuRow {
  gpu: string;
  compute_capability: string;
  arch: string | null;
  source: string;
}

export interface IGpuNameRow {
  /** Matched case-insensitively against the whole name nvidia-smi / NVML print. */
  pattern: string;
  compute_capability: string;
  arch: string | null;
  examples: string[];
  source: string;
}

export interface IHostedRow {
  runtime: string;
  date: string;
  python: string | null;
  tensorflow: string | null;
  torch: string | null;
  jax: string | null;
  cudnn_pip?: string | null;
  cuda_runtime_pip?: string | null;
  source: string;
}

export interface ICompatTable {
  tensorflow: ISubject<ITensorflowRow> & {
    last_native_windows_gpu: string;
    windows_source: string;
  };
  torch: ISubject<ITorchRow> & {
    arch_lists: Record<string, string[]>;
    index_url: string;
  };
  jax: ISubject<IJaxRow> & {
    /** Pre-plugin jaxlib CUDA wheels: their local tags and what each needs. */
    jaxlib_local_tags?: {
      jaxlib: string;
      tags: string[];
      cuda_min: Record<string, string>;
      cudnn_min: Record<string, string>;
      source: string;
    }[];
  };
  bitsandbytes: ISubject<IBitsandbytesRow>;
  'cuda-driver': ISubject<ICudaDriverRow> & {
    minor_version_compatibility: {
      cuda_major: string;
      linux: string;
      windows: string | null;
    }[];
  };
  'compute-capability': ISubject<IGpuRow> & {
    cuda_min_compute_capability: {
      cuda_major: string;
      min_compute_capability: string;
    }[];
  };
  'gpu-names': ISubject<IGpuNameRow>;
  'hosted-runtimes': ISubject<IHostedRow> & {
    /** A runtime's default GPU and host driver from a date on, where a source states them. */
    hosts?: {
      runtime: string;
      since: string;
      gpu: string;
      compute_capability: string;
      driver: string;
      driver_cuda: string;
      source: string;
    }[];
  };
}

/** Validate a table (the bundled one, or a newer one from a URL or file named in the settings). */
export function parseTable(value: unknown): Parsed<ICompatTable> {
  const errors = validate(value, tableSchema as ISchema);
  if (errors.length) {
    const shown = errors.slice(0, 3).map(e => `${e.path} ${e.message}`);
    return {
      ok: false,
      error: `The compatibility table does not match its schema: ${shown.join('; ')}`
    };
  }
  return { ok: true, value: value as ICompatTable };
}

/** The table bundled with this version of the extension. */
export function bundledTable(): ICompatTable {
  const parsed = parseTable({
    tensorflow,
    torch,
    jax,
    bitsandbytes,
    'cuda-driver': cudaDriver,
    'compute-capability': computeCapability,
    'gpu-names': gpuNames,
    'hosted-runtimes': hostedRuntimes
  });
  if (!parsed.ok) {
    throw new Error(parsed.error); // a bundled table that fails its schema is a build defect
  }
  return parsed.value;
}

/** The newest date any subject of the table was made (for the "data is N months old" note). */
export function tableDate(table: ICompatTable): string {
  return Object.values(table)
    .map(subject => (subject as ISubject<unknown>).meta.made)
    .sort()
    .reverse()[0];
}
