/** The GPU, the driver and the CUDA toolkits: no-gpu-visible, container-no-gpu, driver-too-old, … */
import { ARCH_SOURCE, archServes, smName } from '../arch';
import { IContext } from '../context';
import { judgeCuda, runs } from '../cuda';
import { fix, VERIFY } from '../fixes';
import { Arg, NONE, sentences, t, UNKNOWN } from '../text';
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
const CU_RESULT: Record<number, Arg> = {
  3: 'CUDA_ERROR_NOT_INITIALIZED',
  34: t(
    '%1 (a stub libcuda is loaded instead of the driver)',
    'CUDA_ERROR_STUB_LIBRARY'
  ),
  46: 'CUDA_ERROR_DEVICE_UNAVAILABLE',
  100: 'CUDA_ERROR_NO_DEVICE',
  802: t('%1 (fabric manager not running)', 'CUDA_ERROR_SYSTEM_NOT_READY'),
  803: t(
    '%1 (libcuda and the kernel module differ)',
    'CUDA_ERROR_SYSTEM_DRIVER_MISMATCH'
  ),
  804: t(
    '%1 (cuda-compat on a GPU that does not support it)',
    'CUDA_ERROR_COMPAT_NOT_SUPPORTED_ON_DEVICE'
  ),
  999: 'CUDA_ERROR_UNKNOWN'
};
const DRIVER_STEPS = /^(gpu-child|nvml_query|libcuda_query|nvidia-smi)$/;

/** Steps where the driver was asked and did not answer (time-outs, NVML or cuInit failures). */
function driverFailures(ctx: IContext): { label: string; value: Arg }[] {
  const failures: { label: string; value: Arg }[] = ctx.facts.errors
    .filter(e => DRIVER_STEPS.test(e.step))
    .filter(
      e => !/No such file|cannot open shared object|not found/i.test(e.message)
    )
    .map(e => ({ label: e.step, value: e.message }));
  const code = ctx.facts.driver.init_error;
  if (code && code !== 100) {
    failures.push({
      label: 'cuInit',
      value: t('%1: %2', code, CU_RESULT[code] ?? t('error'))
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
      value: t('built for CUDA %1', cudaString(w.cuda))
    })),
    { label: '/dev/nvidia*', value: devNodes.join(', ') || NONE },
    { label: t('driver'), value: ctx.facts.driver.version ?? t('not found') },
    ...hidden.map(([key, value]) => ({
      label: key,
      value: JSON.stringify(value)
    }))
  ];
  const failures = driverFailures(ctx);
  const timedOut = failures.some(
    f =>
      typeof f.value === 'string' && /timed? ?out|TimeoutExpired/i.test(f.value)
  );
  const container = ctx.facts.platform.container;
  // The driver's own libraries answered with an error code: a driver is here and failing.
  const answeredWithError = failures.some(
    f =>
      f.label === 'cuInit' ||
      (typeof f.value === 'string' && /failed with code/.test(f.value))
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
          ? t('The NVIDIA driver did not answer in time')
          : t('An NVIDIA driver is here, but it did not answer'),
        explanation: sentences(
          t(
            'There are signs of an NVIDIA driver (device files, /proc/driver/nvidia, or the driver libraries), but asking it for its GPUs failed, so no framework will see a GPU.'
          ),
          t(
            'The usual causes: the driver was updated and the machine not rebooted ("Driver/library version mismatch"), the kernel module is not loaded, a hung GPU, or a stub libcuda ahead of the real one on the loader path.'
          ),
          t('`nvidia-smi` on the host says which.')
        ),
        evidence: [...evidence, ...failures],
        fixes: [
          fix(t('Ask the driver directly'), {
            kind: 'shell',
            text: 'nvidia-smi'
          }),
          ...(ctx.facts.platform.hosted
            ? []
            : [
                fix(t('Reload the driver'), {
                  kind: 'host',
                  text: t(
                    'after a driver update, reboot (or reload the nvidia kernel modules); then restart the kernel.'
                  )
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
        title: t('No GPU is passed into this %1 container', container),
        explanation: sentences(
          t(
            'This kernel runs in a %1 container without /dev/nvidia* devices, so no framework can see a GPU.',
            container
          ),
          t(
            'Start the container with the GPUs passed in (`docker run --gpus all …` with the NVIDIA Container Toolkit on the host, or a GPU resource limit in Kubernetes), or pick a GPU runtime on a hosted service.'
          )
        ),
        evidence,
        fixes: [
          fix(t('Check that the host and container see the GPU'), {
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
        ? t('%1 hides every GPU', hidden[0][0])
        : t('No NVIDIA GPU is visible to this kernel'),
      explanation: hidden.length
        ? t(
            "%1=%2 in the kernel's environment hides all GPUs from CUDA. Unset it (or list the GPUs to use) before the frameworks are imported.",
            hidden[0][0],
            JSON.stringify(hidden[0][1])
          )
        : wanting.length
          ? sentences(
              wanting.length > 1
                ? t(
                    '%1 were built for CUDA, but no NVIDIA driver or GPU answered: the code will run on the CPU.',
                    wanting.map(w => w.name).join(', ')
                  )
                : t(
                    '%1 was built for CUDA, but no NVIDIA driver or GPU answered: the code will run on the CPU.',
                    wanting.map(w => w.name).join(', ')
                  ),
              t('On a hosted notebook, switch the runtime to a GPU.')
            )
          : t(
              'No NVIDIA driver or GPU answered. Nothing installed here needs one.'
            ),
      evidence,
      fixes: hidden.length
        ? [
            fix(t('Unset %1', hidden[0][0]), {
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
      title: t(
        '%1 needs CUDA %2; the driver supports up to %3',
        want.name,
        cudaString(want.cuda),
        cudaString(driverCuda)
      ),
      explanation: sentences(
        minimum
          ? t(
              'The NVIDIA driver %1 supports CUDA %2 at most, and %3 was built for CUDA %4 (driver %5 or newer runs it directly): %6',
              ctx.facts.driver.version ?? '',
              cudaString(driverCuda),
              want.name,
              cudaString(want.cuda),
              minimum,
              judged.rule
            )
          : t(
              'The NVIDIA driver %1 supports CUDA %2 at most, and %3 was built for CUDA %4: %5',
              ctx.facts.driver.version ?? '',
              cudaString(driverCuda),
              want.name,
              cudaString(want.cuda),
              judged.rule
            ),
        t(
          'Expect "CUDA driver version is insufficient for CUDA runtime version" (or "The NVIDIA driver on your system is too old").'
        ),
        ctx.facts.platform.hosted
          ? t(
              'On a hosted runtime the driver is not yours: install a build for the CUDA it supports.'
            )
          : t('Install a build for an older CUDA, or update the driver.')
      ),
      evidence: [
        {
          label: t('driver'),
          value: t(
            '%1 (CUDA %2)',
            ctx.facts.driver.version ?? UNKNOWN,
            cudaString(driverCuda)
          )
        },
        {
          label: want.name,
          value: t('built for CUDA %1', cudaString(want.cuda))
        },
        { label: t('verdict'), value: judged.rule },
        ...(minimum
          ? [
              {
                label: t('driver for CUDA %1', cudaString(want.cuda)),
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
      title: t(
        'torch %1 has no kernels for %2 (compute capability %3)',
        torch.version,
        gpu.name,
        gpu.compute_capability
      ),
      explanation: sentences(
        t(
          'This torch was built for CUDA %1 with the targets %2; %3 is %4, and no cubin of its major at or below its minor, nor PTX at or below it, is among them.',
          String(torch.cuda),
          arches.join(', '),
          gpu.name,
          sm
        ),
        t(
          'Expect "no kernel image is available for execution on the device" at the first CUDA operation.'
        ),
        build
          ? t(
              'torch %1 from the %2 index has kernels for it and runs on this driver.',
              build.version,
              build.variant
            )
          : t(
              'The table knows no torch build for this GPU that this driver runs.'
            )
      ),
      evidence: [
        {
          label: 'GPU',
          value: t(
            '%1, compute capability %2',
            gpu.name,
            gpu.compute_capability
          )
        },
        {
          label: 'torch',
          value: t('%1, CUDA %2', torch.version, String(torch.cuda))
        },
        {
          label: torch.arch_list
            ? t('compiled for')
            : t('targets of %1', variant),
          value: arches.join(' ')
        },
        {
          label: t('rule'),
          value: t(
            'a cubin serves the same major at or above its minor; PTX serves any later GPU (%1: neither)',
            sm
          )
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
