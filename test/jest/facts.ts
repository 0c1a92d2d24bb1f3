/** Builds the facts of a situation, starting from a healthy Linux machine with a T4 and no frameworks. */
import { IFacts } from '../../src/engine/facts';

type Overrides = { [K in keyof IFacts]?: Partial<IFacts[K]> };

export function makeFacts(overrides: Overrides = {}): IFacts {
  const base: IFacts = {
    schema_version: 1,
    probe_version: '0.1.0',
    python: { version: '3.11.7', executable: '/usr/bin/python3' },
    platform: {
      system: 'Linux',
      release: '6.1.0',
      machine: 'x86_64',
      wsl: false,
      container: null,
      hosted: null
    },
    gpus: [
      {
        index: 0,
        name: 'Tesla T4',
        compute_capability: '7.5',
        memory_mib: 15360,
        uuid: 'GPU-1'
      }
    ],
    driver: { version: '550.54.15', cuda_version: '12.4', source: 'nvml' },
    devices: { dev_nodes: ['nvidia0', 'nvidiactl'], proc_driver: true },
    cuda: { toolkits: [], libraries: [] },
    packages: {},
    frameworks: { imported: {} },
    env: {},
    errors: []
  };
  const merged = { ...base } as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(overrides)) {
    const current = merged[key];
    merged[key] =
      Array.isArray(value) || typeof current !== 'object' || current === null
        ? value
        : { ...current, ...(value as object) };
  }
  return merged as unknown as IFacts;
}

export function lib(
  kind: 'cudart' | 'cudnn',
  version: string,
  source: 'pip' | 'system' = 'pip'
) {
  return {
    kind,
    version,
    source,
    path: `/site/nvidia/${kind}/lib/lib${kind}.so.${version.split('.')[0]}`
  } as const;
}

/** TensorFlow 2.18.0 as its Linux wheel states it (build_info.py): CUDA 12.5.1, cuDNN 9. */
export const TF_2_18 = {
  version: '2.18.0',
  cuda: '12.5.1',
  cudnn: '9',
  is_cuda_build: true
};
