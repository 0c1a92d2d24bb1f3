/** PyTorch: torch-cpu-build, torch-cuda-deps-missing, torch-companion-mismatch. */
import { IContext } from '../context';
import { fix, pip, RESTART, VERIFY } from '../fixes';
import { IFinding } from '../types';
import { localLabel, majorMinor, publicVersion } from '../versions';
import { torchBuildFix, torchBuildFor, torchIndexUrl } from './frameworks';
import { unmetRequirements } from './requirements';

export function torchCpuBuild(ctx: IContext): IFinding[] {
  const torch = ctx.facts.frameworks.torch;
  if (
    !torch ||
    torch.cuda ||
    torch.hip ||
    !ctx.nvidiaPresent ||
    ctx.os === 'macos'
  ) {
    return [];
  }
  const version = publicVersion(torch.version);
  const build = torchBuildFor(ctx, version);
  const row = ctx.table.torch.rows.find(r => r.version === version);
  const companions = ['torchvision', 'torchaudio'].filter(
    name => ctx.facts.frameworks[name as 'torchvision']
  );
  return [
    {
      id: 'torch-cpu-build',
      severity: 'error',
      title: `torch ${torch.version} is a CPU-only build on a machine with an NVIDIA GPU`,
      explanation:
        `This torch was built without CUDA (${localLabel(torch.version) ? `"+${localLabel(torch.version)}"` : 'no CUDA in torch/version.py'}), so torch.cuda.is_available() is False. ` +
        (build
          ? `torch ${build.version} from the ${build.variant} index runs on this driver (CUDA ${ctx.driverCuda ? ctx.driverCuda.join('.') : 'unknown'}) and GPU.`
          : 'The table knows no CUDA build of this release the driver can run: pick a release from the PyTorch site.'),
      evidence: [
        { label: 'torch', value: `${torch.version} (CUDA: none)` },
        {
          label: 'GPU',
          value: ctx.facts.gpus.map(g => g.name).join(', ') || 'driver present'
        },
        {
          label: 'driver',
          value: `${ctx.facts.driver.version ?? 'unknown'} (CUDA ${ctx.facts.driver.cuda_version ?? 'unknown'})`
        }
      ],
      fixes: build ? [torchBuildFix(ctx, build, companions)] : [],
      verify: VERIFY.torch,
      sources: row ? [row.source] : [],
      restart: true
    }
  ];
}

export function torchCudaDeps(ctx: IContext): IFinding[] {
  const torch = ctx.facts.frameworks.torch;
  if (!torch?.cuda || ctx.os !== 'linux' || !ctx.scanned('packages')) {
    return [];
  }
  const unmet = unmetRequirements(ctx, torch.requires ?? []).filter(
    u => !/cudnn/.test(u.name) || !u.installed
  );
  if (!unmet.length) {
    return [];
  }
  return [
    {
      id: 'torch-cuda-deps-missing',
      severity: 'error',
      title: `torch ${torch.version} is missing ${unmet.length} of the CUDA packages it pins`,
      explanation:
        `torch's CUDA wheel loads the CUDA libraries from the nvidia-* packages it requires; ${unmet
          .map(
            u =>
              `${u.name} ${u.installed ? `is ${u.installed}, not ${u.specifier}` : 'is not installed'}`
          )
          .join('; ')}. ` +
        'Expect import errors such as "libcudnn.so.9: cannot open shared object file" or torch.cuda.is_available() False.',
      evidence: unmet.map(u => ({
        label: u.name,
        value: `${u.installed ?? 'missing'} (torch wants ${u.specifier})`
      })),
      fixes: [
        fix(
          `Reinstall the CUDA packages torch ${torch.version} pins`,
          pip(...unmet.map(u => `${u.name}${u.specifier}`)),
          RESTART
        )
      ],
      verify: VERIFY.torch,
      sources: [],
      restart: true
    }
  ];
}

export function torchCompanions(ctx: IContext): IFinding[] {
  const { torch, torchvision, torchaudio } = ctx.facts.frameworks;
  if (!torch) {
    return [];
  }
  const row = ctx.table.torch.rows.find(
    r => r.version === publicVersion(torch.version)
  );
  const findings: IFinding[] = [];
  for (const [name, companion] of [
    ['torchvision', torchvision],
    ['torchaudio', torchaudio]
  ] as const) {
    if (!companion) {
      continue;
    }
    const expected = row?.[name];
    const versionMismatch =
      expected && majorMinor(companion.version) !== majorMinor(expected);
    const cudaMismatch =
      companion.cuda !== undefined &&
      (companion.cuda ?? null) !== (torch.cuda ?? null);
    if (!versionMismatch && !cudaMismatch) {
      continue;
    }
    const variant = torch.cuda ? `cu${torch.cuda.replace('.', '')}` : 'cpu';
    const want = expected ?? publicVersion(companion.version);
    findings.push({
      id: 'torch-companion-mismatch',
      severity: 'error',
      title: `${name} ${companion.version} does not match torch ${torch.version}`,
      explanation: versionMismatch
        ? `${name} ${majorMinor(companion.version)} is built against another torch release; torch ${publicVersion(torch.version)} goes with ${name} ${expected}. ` +
          'Expect "operator torchvision::nms does not exist" or undefined-symbol errors on import.'
        : `${name} was built for CUDA ${companion.cuda ?? 'none (CPU)'} and torch for CUDA ${torch.cuda ?? 'none (CPU)'}: their native code cannot be mixed.`,
      evidence: [
        {
          label: 'torch',
          value: `${torch.version} (CUDA ${torch.cuda ?? 'none'})`
        },
        {
          label: name,
          value: `${companion.version} (CUDA ${companion.cuda ?? 'none'})`
        }
      ],
      fixes: [
        fix(
          `Install ${name} ${want} for torch ${publicVersion(torch.version)} (${variant})`,
          pip(`${name}==${want}`, '--index-url', torchIndexUrl(ctx, variant)),
          RESTART
        )
      ],
      verify: `import torch, ${name}\nprint(torch.__version__, ${name}.__version__)`,
      sources: row ? [row.source] : [],
      restart: true
    });
  }
  return findings;
}
