/** The GPU, the driver and the CUDA toolkits: no-gpu-visible, container-no-gpu, driver-too-old, … */
import { ARCH_SOURCE, archServes, smName } from '../arch';
import { IContext } from '../context';
import { judgeCuda, runs } from '../cuda';
import { fix, VERIFY } from '../fixes';
import { IFinding } from '../types';
import { cudaString, parseCuda } from '../versions';
import {
  driverFix,
  frameworkCudas,
  torchArches,
  torchBuildFix,
  torchBuildFor,
  torchRow
} from './frameworks';

const DRIVER_DOCS =
  'https://docs.nvidia.com/cuda/cuda-toolkit-release-notes/index.html';

/** What cuInit's and NVML's codes mean, for the evidence (cuda.h CUresult, nvml.h nvmlReturn_t). */
const CU_RESULT: Record<number, string> = {
  3: 'CUDA_ERROR_NOT_INITIALIZED',
  34: 'CUDA_ERROR_STUB_LIBRARY (a stub libcuda is loaded instead of the driver)',
  46: 'CUDA_ERROR_DEVICE_UNAVAILABLE',
  100: 'CUDA_ERROR_NO_DEVICE',
  802: 'CUDA_ERROR_SYSTEM_NOT_READY (fabric manager not running)',
  803: 'CUDA_ERROR_SYSTEM_DRIVER_MISMATCH (libcuda and the kernel module differ)',
  804: 'CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE (cuda-compat on a GPU that does not support it)',
  999: 'CUDA_ERROR_UNKNOWN'
};
const DRIVER_STEPS = /^(gpu-child|nvml_query|libcuda_query|nvidia-smi)$/;

/** Steps where the driver was asked and did not answer (time-outs, NVML or cuInit failures). */
function driverFailures(ctx: IContext): { label: string; value: string }[] {
  const failures = ctx.facts.errors
    .filter(e => DRIVER_STEPS.test(e.step))
    .filter(
      e => !/No such file|cannot open shared object|not found/i.test(e.message)
    )
    .map(e => ({ label: e.step, value: e.message }));
  const code = ctx.facts.driver.init_error;
  if (code && code !== 100) {
    failures.push({
      label: 'cuInit',
      value: `${code}: ${CU_RESULT[code] ?? 'error'}`
    });
  }
  return failures;
}

export function noGpu(ctx: IContext): IFinding[] {
  if (ctx.hasGpu || ctx.os === 'macos' || !ctx.scanned('gpus')) {
    return [];
  }
  const wanting = frameworkCudas(ctx);
  // A pasted report does not list every package: something may want the GPU.
  const wants = wanting.length > 0 || !ctx.scanned('packages');
  const hidden = ['CUDA_VISIBLE_DEVICES', 'NVIDIA_VISIBLE_DEVICES']
    .map(key => [key, ctx.facts.env[key]] as const)
    .filter(
      ([, value]) =>
        value === '' || value === '-1' || value === 'none' || value === 'void'
    );
  const devNodes = ctx.facts.devices?.dev_nodes ?? [];
  const evidence = [
    ...wanting.map(w => ({
      label: w.name,
      value: `built for CUDA ${cudaString(w.cuda)}`
    })),
    { label: '/dev/nvidia*', value: devNodes.join(', ') || 'none' },
    { label: 'driver', value: ctx.facts.driver.version ?? 'not found' },
    ...hidden.map(([key, value]) => ({
      label: key,
      value: JSON.stringify(value)
    }))
  ];
  const failures = driverFailures(ctx);
  const timedOut = failures.some(f =>
    /timed? ?out|TimeoutExpired/i.test(f.value)
  );
  const container = ctx.facts.platform.container;
  // The driver's own libraries answered with an error code: a driver is here and failing.
  const answeredWithError = failures.some(
    f => f.label === 'cuInit' || /failed with code/.test(f.value)
  );
  const noDevices = !devNodes.length && !ctx.facts.devices?.proc_driver;
  const driverSigns = !noDevices || failures.length > 0;
  if (
    !hidden.length &&
    (timedOut ||
      answeredWithError ||
      (driverSigns && !(container && noDevices)))
  ) {
    return [
      {
        id: 'driver-not-responding',
        severity: wants ? 'error' : 'warning',
        title: timedOut
          ? 'The NVIDIA driver did not answer in time'
          : 'An NVIDIA driver is here, but it did not answer',
        explanation:
          'There are signs of an NVIDIA driver (device files, /proc/driver/nvidia, or the driver libraries), but asking it for its GPUs failed, so no framework will see a GPU. ' +
          'The usual causes: the driver was updated and the machine not rebooted ("Driver/library version mismatch"), the kernel module is not loaded, a hung GPU, ' +
          'or a stub libcuda ahead of the real one on the loader path. `nvidia-smi` on the host says which.',
        evidence: [...evidence, ...failures],
        fixes: [
          fix('Ask the driver directly', { kind: 'shell', text: 'nvidia-smi' }),
          ...(ctx.facts.platform.hosted
            ? []
            : [
                fix('Reload the driver', {
                  kind: 'host',
                  text: 'after a driver update, reboot (or reload the nvidia kernel modules); then restart the kernel.'
                })
              ])
        ],
        verify: VERIFY.gpu,
        sources: [
          'https://docs.nvidia.com/deploy/nvml-api/group__nvmlDeviceEnumvs.html',
          'https://docs.nvidia.com/cuda/cuda-driver-api/group__CUDA__TYPES.html'
        ]
      }
    ];
  }
  if (container && !devNodes.length && !hidden.length) {
    return [
      {
        id: 'container-no-gpu',
        severity: wants ? 'error' : 'info',
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
      severity: wants ? 'warning' : 'info',
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

/**
 * The driver must be able to run the CUDA each framework was built for, by NVIDIA's rules
 * (cuda.ts): only an incompatible build is a finding; minor-version compatible builds run.
 */
export function driverTooOld(ctx: IContext): IFinding[] {
  const driverCuda = ctx.driverCuda;
  if (!driverCuda) {
    return [];
  }
  const findings: IFinding[] = [];
  for (const want of frameworkCudas(ctx)) {
    const judged = judgeCuda(ctx, want.cuda, want.ptxOnly);
    if (runs(judged)) {
      continue;
    }
    const minimum = judged.directMinimum;
    findings.push({
      id: 'driver-too-old',
      severity: 'error',
      title: `${want.name} needs CUDA ${cudaString(want.cuda)}; the driver supports up to ${cudaString(driverCuda)}`,
      explanation:
        `The NVIDIA driver ${ctx.facts.driver.version ?? ''} supports CUDA ${cudaString(driverCuda)} at most, and ${want.name} was built for CUDA ${cudaString(want.cuda)}` +
        `${minimum ? ` (driver ${minimum} or newer runs it directly)` : ''}: ${judged.rule} ` +
        'Expect "CUDA driver version is insufficient for CUDA runtime version" (or "The NVIDIA driver on your system is too old"). ' +
        (ctx.facts.platform.hosted
          ? 'On a hosted runtime the driver is not yours: install a build for the CUDA it supports.'
          : 'Install a build for an older CUDA, or update the driver.'),
      evidence: [
        {
          label: 'driver',
          value: `${ctx.facts.driver.version ?? 'unknown'} (CUDA ${cudaString(driverCuda)})`
        },
        { label: want.name, value: `built for CUDA ${cudaString(want.cuda)}` },
        { label: 'verdict', value: judged.rule },
        ...(minimum
          ? [
              {
                label: `driver for CUDA ${cudaString(want.cuda)}`,
                value: minimum
              }
            ]
          : [])
      ],
      fixes: [...want.fixes(), ...driverFix(ctx, judged)],
      verify: want.verify,
      sources: [judged.source, DRIVER_DOCS],
      restart: true
    });
  }
  return findings;
}

/**
 * The GPU's compute capability must be served by the build: a cubin of the same major and a minor
 * at or below the GPU's, or PTX at or below it (arch.ts). A PTX-only GPU on a minor-compatible
 * driver is driver-too-old's to report.
 */
export function computeCapability(ctx: IContext): IFinding[] {
  const torch = ctx.facts.frameworks.torch;
  const torchCuda = parseCuda(torch?.cuda);
  if (!torch || (!torchCuda && !torch.arch_list)) {
    return [];
  }
  const variant = torchCuda
    ? `cu${torchCuda[0]}${torchCuda[1]}`
    : 'its variant';
  const arches = torch.arch_list ?? torchArches(ctx, torch.version, variant);
  if (!arches) {
    return [];
  }
  const findings: IFinding[] = [];
  for (const gpu of ctx.facts.gpus) {
    if (
      !gpu.compute_capability ||
      archServes(arches, gpu.compute_capability).serves !== 'none'
    ) {
      continue;
    }
    const sm = smName(gpu.compute_capability);
    const companions = ['torchvision', 'torchaudio'].filter(
      name => ctx.facts.frameworks[name as 'torchvision']
    );
    const build = torchBuildFor(ctx, torch.version);
    findings.push({
      id: 'compute-capability-unsupported',
      severity: 'error',
      title: `torch ${torch.version} has no kernels for ${gpu.name} (compute capability ${gpu.compute_capability})`,
      explanation:
        `This torch was built for CUDA ${torch.cuda} with the targets ${arches.join(', ')}; ${gpu.name} is ${sm}, and no cubin of its major at or below its minor, nor PTX at or below it, is among them. ` +
        'Expect "no kernel image is available for execution on the device" at the first CUDA operation.' +
        (build
          ? ` torch ${build.version} from the ${build.variant} index has kernels for it and runs on this driver.`
          : ' The table knows no torch build for this GPU that this driver runs.'),
      evidence: [
        {
          label: 'GPU',
          value: `${gpu.name}, compute capability ${gpu.compute_capability}`
        },
        { label: 'torch', value: `${torch.version}, CUDA ${torch.cuda}` },
        {
          label: torch.arch_list ? 'compiled for' : `targets of ${variant}`,
          value: arches.join(' ')
        },
        {
          label: 'rule',
          value: `a cubin serves the same major at or above its minor; PTX serves any later GPU (${sm}: neither)`
        }
      ],
      fixes: build ? [torchBuildFix(ctx, build, companions)] : [],
      verify: VERIFY.torch,
      sources: [
        ARCH_SOURCE,
        ...(torchRow(ctx, torch.version)
          ? [torchRow(ctx, torch.version)!.source]
          : [])
      ],
      restart: true
    });
  }
  return findings;
}
