/** PyTorch: torch-cpu-build, torch-cuda-deps-missing, torch-companion-mismatch. */
import { IContext } from '../context';
import { fix, pip, RESTART, VERIFY } from '../fixes';
import { listed, NONE, sentences, t, UNKNOWN } from '../text';
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
      title: t(
        'torch %1 is a CPU-only build on a machine with an NVIDIA GPU',
        torch.version
      ),
      explanation: sentences(
        t(
          'This torch was built without CUDA (%1), so torch.cuda.is_available() is False.',
          localLabel(torch.version)
            ? `"+${localLabel(torch.version)}"`
            : t('no CUDA in torch/version.py')
        ),
        build
          ? t(
              'torch %1 from the %2 index runs on this driver (CUDA %3) and GPU.',
              build.version,
              build.variant,
              ctx.driverCuda ? ctx.driverCuda.join('.') : UNKNOWN
            )
          : t(
              'The table knows no CUDA build of this release the driver can run: pick a release from the PyTorch site.'
            )
      ),
      evidence: [
        { label: 'torch', value: t('%1 (CUDA: none)', torch.version) },
        {
          label: 'GPU',
          value:
            ctx.facts.gpus.map(g => g.name).join(', ') || t('driver present')
        },
        {
          label: t('driver'),
          value: t(
            '%1 (CUDA %2)',
            ctx.facts.driver.version ?? UNKNOWN,
            ctx.facts.driver.cuda_version ?? UNKNOWN
          )
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
      title: t(
        'torch %1 is missing %2 of the CUDA packages it pins',
        torch.version,
        unmet.length
      ),
      explanation: sentences(
        t(
          "torch's CUDA wheel loads the CUDA libraries from the nvidia-* packages it requires; %1.",
          listed(
            unmet.map(u =>
              u.installed
                ? t('%1 is %2, not %3', u.name, u.installed, u.specifier)
                : t('%1 is not installed', u.name)
            )
          )
        ),
        t(
          'Expect import errors such as "libcudnn.so.9: cannot open shared object file" or torch.cuda.is_available() False.'
        )
      ),
      evidence: unmet.map(u => ({
        label: u.name,
        value: t(
          '%1 (torch wants %2)',
          u.installed ?? t('missing'),
          u.specifier
        )
      })),
      fixes: [
        fix(
          t('Reinstall the CUDA packages torch %1 pins', torch.version),
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
      title: t(
        '%1 %2 does not match torch %3',
        name,
        companion.version,
        torch.version
      ),
      explanation: versionMismatch
        ? sentences(
            t(
              '%1 %2 is built against another torch release; torch %3 goes with %1 %4.',
              name,
              majorMinor(companion.version),
              publicVersion(torch.version),
              expected
            ),
            t(
              'Expect "operator torchvision::nms does not exist" or undefined-symbol errors on import.'
            )
          )
        : t(
            '%1 was built for CUDA %2 and torch for CUDA %3: their native code cannot be mixed.',
            name,
            companion.cuda ?? t('none (CPU)'),
            torch.cuda ?? t('none (CPU)')
          ),
      evidence: [
        {
          label: 'torch',
          value: t('%1 (CUDA %2)', torch.version, torch.cuda ?? NONE)
        },
        {
          label: name,
          value: t('%1 (CUDA %2)', companion.version, companion.cuda ?? NONE)
        }
      ],
      fixes: [
        fix(
          t(
            'Install %1 %2 for torch %3 (%4)',
            name,
            want,
            publicVersion(torch.version),
            variant
          ),
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
