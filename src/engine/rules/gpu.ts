/** The GPU, the driver and the CUDA toolkits: no-gpu-visible, container-no-gpu, driver-too-old, … */
import { driverServes, IContext } from '../context';
import { fix, pip, VERIFY } from '../fixes';
import { IFinding } from '../types';
import { compareCuda, cudaString, parseCuda } from '../versions';
import { frameworkCudas, torchIndexUrl } from './frameworks';

const DRIVER_DOCS =
  'https://docs.nvidia.com/cuda/cuda-toolkit-release-notes/index.html';

export function noGpu(ctx: IContext): IFinding[] {
  if (ctx.hasGpu || ctx.os === 'macos') {
    return [];
  }
  const wanting = frameworkCudas(ctx);
  const hidden = ['CUDA_VISIBLE_DEVICES', 'NVIDIA_VISIBLE_DEVICES']
    .map(key => [key, ctx.facts.env[key]] as const)
    .filter(
      ([, value]) =>
        value === '' || value === '-1' || value === 'none' || value === 'void'
    );
  const evidence = [
    ...wanting.map(w => ({
      label: w.name,
      value: `built for CUDA ${cudaString(w.cuda)}`
    })),
    {
      label: '/dev/nvidia*',
      value: ctx.facts.devices?.dev_nodes.join(', ') || 'none'
    },
    { label: 'driver', value: ctx.facts.driver.version ?? 'not found' },
    ...hidden.map(([key, value]) => ({
      label: key,
      value: JSON.stringify(value)
    }))
  ];
  const container = ctx.facts.platform.container;
  if (container && !ctx.facts.devices?.dev_nodes.length && !hidden.length) {
    return [
      {
        id: 'container-no-gpu',
        severity: wanting.length ? 'error' : 'info',
        title: `No GPU is passed into this ${container} container`,
        explanation:
          `This kernel runs in a ${container} container without /dev/nvidia* devices, so no framework can see a GPU. ` +
          'Start the container with the GPUs passed in (`docker run --gpus all …` with the NVIDIA Container Toolkit on the host, ' +
          'or a GPU resource limit in Kubernetes), or pick a GPU runtime on a hosted service.',
        evidence,
        fixes: [
          fix('Check that the host and container see the GPU', {
            kind: 'shell',
            text: 'nvidia-smi'
          })
        ],
        verify: VERIFY.gpu,
        sources: [
          'https://docs.nvidia.com/datacenter/cloud-native/container-toolkit/latest/install-guide.html'
        ]
      }
    ];
  }
  return [
    {
      id: 'no-gpu-visible',
      severity: wanting.length ? 'warning' : 'info',
      title: hidden.length
        ? `${hidden[0][0]} hides every GPU`
        : 'No NVIDIA GPU is visible to this kernel',
      explanation: hidden.length
        ? `${hidden[0][0]}=${JSON.stringify(hidden[0][1])} in the kernel's environment hides all GPUs from CUDA. Unset it (or list the GPUs to use) before the frameworks are imported.`
        : wanting.length
          ? `${wanting.map(w => w.name).join(', ')} ${wanting.length > 1 ? 'were' : 'was'} built for CUDA, but no NVIDIA driver or GPU answered: the code will run on the CPU. On a hosted notebook, switch the runtime to a GPU.`
          : 'No NVIDIA driver or GPU answered. Nothing installed here needs one.',
      evidence,
      fixes: hidden.length
        ? [
            fix(`Unset ${hidden[0][0]}`, {
              kind: 'python',
              text: `import os\nos.environ.pop(${JSON.stringify(hidden[0][0])}, None)`
            })
          ]
        : [],
      verify: VERIFY.gpu,
      sources: [],
      restart: hidden.length > 0
    }
  ];
}

/** The driver must support the CUDA each framework was built for. */
export function driverTooOld(ctx: IContext): IFinding[] {
  const driverCuda = ctx.driverCuda;
  if (!driverCuda) {
    return [];
  }
  const findings: IFinding[] = [];
  for (const want of frameworkCudas(ctx)) {
    const verdict = driverServes(driverCuda, want.cuda);
    if (verdict === 'yes') {
      continue;
    }
    const row = minimumDriver(ctx, want.cuda);
    const platformKey = ctx.os === 'windows' ? 'windows' : 'linux';
    const minimum = row?.[platformKey];
    findings.push({
      id: 'driver-too-old',
      severity: verdict === 'no' ? 'error' : 'warning',
      title: `${want.name} needs CUDA ${cudaString(want.cuda)}; the driver supports up to ${cudaString(driverCuda)}`,
      explanation:
        verdict === 'no'
          ? `The NVIDIA driver ${ctx.facts.driver.version ?? ''} supports CUDA ${cudaString(driverCuda)} at most, but ${want.name} was built for CUDA ${cudaString(want.cuda)}` +
            `${minimum ? ` (needs driver ${minimum} or newer)` : ''}. Expect "CUDA driver version is insufficient for CUDA runtime version". ` +
            'Install a build of the framework for an older CUDA, or update the driver (on a hosted runtime you cannot: pick the matching build).'
          : `The driver supports CUDA ${cudaString(driverCuda)}; ${want.name} was built for ${cudaString(want.cuda)}. CUDA minor-version compatibility usually lets this run, ` +
            'but kernels compiled to PTX only, and features of the newer minor release, fail.',
      evidence: [
        {
          label: 'driver',
          value: `${ctx.facts.driver.version ?? 'unknown'} (CUDA ${cudaString(driverCuda)})`
        },
        { label: want.name, value: `built for CUDA ${cudaString(want.cuda)}` },
        ...(minimum
          ? [
              {
                label: `minimum driver for CUDA ${cudaString(want.cuda)}`,
                value: minimum
              }
            ]
          : [])
      ],
      fixes: want.fixes(driverCuda),
      verify: want.verify,
      sources: row ? [row.source] : [DRIVER_DOCS]
    });
  }
  return findings;
}

function minimumDriver(ctx: IContext, cuda: [number, number]) {
  return ctx.table['cuda-driver'].rows.find(
    r => compareCuda(parseCuda(r.cuda)!, cuda) === 0
  );
}

/** The GPU's compute capability must be one the framework's build (or CUDA release) supports. */
export function computeCapability(ctx: IContext): IFinding[] {
  const findings: IFinding[] = [];
  const torch = ctx.facts.frameworks.torch;
  for (const gpu of ctx.facts.gpus) {
    if (!gpu.compute_capability) {
      continue;
    }
    const sm = `sm_${gpu.compute_capability.replace('.', '')}`;
    if (torch?.cuda) {
      const variant = `cu${torch.cuda.replace('.', '')}`;
      const arches = ctx.table.torch.arch_lists[variant];
      if (
        arches &&
        !arches.includes(sm) &&
        !ptxCovers(arches, gpu.compute_capability)
      ) {
        const newest = arches
          .filter(a => a.startsWith('sm_'))
          .map(a => a.slice(3));
        const tooOld = newest.every(a => Number(a) > Number(sm.slice(3)));
        const alternative = tooOld ? 'cu126' : 'cu130';
        findings.push({
          id: 'compute-capability-unsupported',
          severity: 'error',
          title: `torch ${torch.version} has no kernels for ${gpu.name} (compute capability ${gpu.compute_capability})`,
          explanation:
            `This torch was built for CUDA ${torch.cuda} with the architectures ${arches.join(', ')}; ${gpu.name} is ${sm}. ` +
            'Expect "no kernel image is available for execution on the device". ' +
            `Install the ${alternative} build, which ${tooOld ? 'still includes older GPUs' : 'includes newer GPUs'}.`,
          evidence: [
            {
              label: 'GPU',
              value: `${gpu.name}, compute capability ${gpu.compute_capability}`
            },
            { label: 'torch', value: `${torch.version}, CUDA ${torch.cuda}` },
            { label: `architectures of ${variant}`, value: arches.join(' ') }
          ],
          fixes: [
            fix(
              `Install torch built for ${alternative}`,
              pip(
                '--force-reinstall',
                'torch',
                '--index-url',
                torchIndexUrl(ctx, alternative)
              )
            )
          ],
          verify: VERIFY.torch,
          sources: [ctx.table.torch.rows[0].source],
          restart: true
        });
      }
    }
  }
  return findings;
}

function ptxCovers(arches: string[], cc: string): boolean {
  // compute_XY (PTX) can be JIT-compiled for any newer GPU
  return arches.some(
    a =>
      a.startsWith('compute_') &&
      Number(a.slice(8)) <= Number(cc.replace('.', ''))
  );
}

/** Several CUDA toolkits or runtimes where the loader may pick the wrong one. */
export function multipleToolkits(ctx: IContext): IFinding[] {
  const versions = new Map<string, string[]>();
  for (const toolkit of ctx.facts.cuda.toolkits) {
    if (toolkit.version) {
      const key = toolkit.version.split('.').slice(0, 2).join('.');
      versions.set(key, [...(versions.get(key) ?? []), toolkit.path]);
    }
  }
  const ldRuntimes = ctx.facts.cuda.libraries.filter(
    l => l.kind === 'cudart' && l.source === 'ld_library_path' && l.version
  );
  const ldMajors = new Set(ldRuntimes.map(l => l.version!.split('.')[0]));
  if (versions.size < 2 && ldMajors.size < 2) {
    return [];
  }
  return [
    {
      id: 'multiple-cuda-toolkits',
      severity: 'warning',
      title: `Several CUDA versions are installed: ${[...versions.keys(), ...ldRuntimes.map(l => l.version!)].filter((v, i, a) => a.indexOf(v) === i).join(', ')}`,
      explanation:
        'Which CUDA libraries a framework loads depends on LD_LIBRARY_PATH, CUDA_HOME and the order of the library folders. ' +
        'Pip-installed frameworks bring their own CUDA libraries: put only the toolkit you build with on PATH, and keep other CUDA folders off LD_LIBRARY_PATH.',
      evidence: [
        ...[...versions.entries()].map(([version, paths]) => ({
          label: `CUDA ${version}`,
          value: paths.join(', ')
        })),
        ...ldRuntimes.map(l => ({
          label: 'on LD_LIBRARY_PATH',
          value: `${l.path} (${l.version})`
        })),
        {
          label: 'LD_LIBRARY_PATH',
          value: String(ctx.facts.env.LD_LIBRARY_PATH ?? '')
        }
      ],
      fixes: [],
      sources: [DRIVER_DOCS]
    }
  ];
}
