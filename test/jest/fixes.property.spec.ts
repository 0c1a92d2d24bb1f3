/**
 * Fixes are proven, over a generated grid of facts (GPU architecture x driver x framework release x
 * hosted or not x Python 3.9-3.13 x Linux / Windows / WSL):
 * - every fix cell goes through `preflight` on the same facts with no error and no warning;
 * - every version a fix names exists in the table, with a wheel for the kernel's Python (and, for a
 *   torch build, that variant is one of the release's indexes);
 * - applying the fix to the facts (as pip would) makes the finding go away and raises no new error.
 */
import { makeContext } from '../../src/engine/context';
import { cudaOfDriver } from '../../src/engine/cuda';
import { diagnose, preflightCell } from '../../src/engine/diagnose';
import { IFacts, ILibrary } from '../../src/engine/facts';
import { renderCell } from '../../src/engine/fixes';
import { parseCell } from '../../src/engine/pip/parse';
import { exactVersion } from '../../src/engine/specifiers';
import { bundledTable } from '../../src/engine/table';
import { render } from '../../src/engine/text';
import { IFinding, IFix } from '../../src/engine/types';
import {
  compare,
  localLabel,
  majorMinor,
  parseCuda,
  publicVersion,
  satisfies
} from '../../src/engine/versions';
import { makeFacts } from './facts';

const table = bundledTable();

const GPUS = [
  ['NVIDIA GeForce GTX 1080 Ti', '6.1'],
  ['Tesla V100-SXM2-16GB', '7.0'],
  ['Tesla T4', '7.5'],
  ['NVIDIA A100-SXM4-80GB', '8.0'],
  ['NVIDIA GeForce RTX 4090', '8.9'],
  ['NVIDIA H100 80GB HBM3', '9.0'],
  ['NVIDIA GeForce RTX 5090', '12.0']
];
const DRIVERS = [
  '470.82.01',
  '525.60.13',
  '535.104.05',
  '550.54.15',
  '570.86.10',
  '580.65.06'
];
const PYTHONS = ['3.9.18', '3.10.12', '3.11.7', '3.12.3', '3.13.1'];
const SYSTEMS = ['linux', 'windows', 'wsl'] as const;

/** A small seeded generator, so the grid sample is the same on every run. */
function rng(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function baseFacts(
  gpu: string[],
  driver: string,
  python: string,
  system: (typeof SYSTEMS)[number],
  hosted: boolean
): IFacts {
  const facts = makeFacts({
    python: { version: python, executable: '/usr/bin/python3' },
    platform: {
      system: system === 'windows' ? 'Windows' : 'Linux',
      wsl: system === 'wsl',
      hosted: hosted
        ? { name: 'colab', release: 'release-colab_20260819-000000_RC00' }
        : null
    },
    gpus: [{ index: 0, name: gpu[0], compute_capability: gpu[1] }],
    driver: { version: driver, cuda_version: null }
  });
  const cuda = cudaOfDriver(
    makeContext(JSON.parse(JSON.stringify(facts)), table),
    driver
  )!;
  facts.driver.cuda_version = `${cuda[0]}.${cuda[1]}`;
  return facts;
}

/** The CUDA runtime and cuDNN a TensorFlow release was built for, as pip's nvidia-* wheels install them. */
function tensorflowLibraries(row: { cuda: string; cudnn: string }): ILibrary[] {
  return [
    {
      kind: 'cudart',
      version: row.cuda,
      source: 'pip',
      path: '/site/nvidia/cuda_runtime/lib/libcudart.so'
    },
    {
      kind: 'cudnn',
      version: row.cudnn,
      source: 'pip',
      path: '/site/nvidia/cudnn/lib/libcudnn.so'
    }
  ];
}

/** The facts after pip (or the host's admin) carried out the fix. */
function applyFix(facts: IFacts, fixToApply: IFix): IFacts {
  const next: IFacts = JSON.parse(JSON.stringify(facts));
  for (const step of fixToApply.steps) {
    const driver =
      step.kind === 'host' &&
      /driver (\d+\.\d+(?:\.\d+)?)/.exec(render(step.text))?.[1];
    if (driver) {
      next.driver.version = driver;
      const cuda = cudaOfDriver(
        makeContext(JSON.parse(JSON.stringify(next)), table),
        driver
      )!;
      next.driver.cuda_version = `${cuda[0]}.${cuda[1]}`;
    }
  }
  const cell = fixToApply.steps
    .filter(s => s.kind === 'pip')
    .map(s => `%pip ${s.text}`)
    .join('\n');
  for (const command of parseCell(cell).commands) {
    for (const req of command.requirements) {
      const pinned =
        exactVersion(req.specifier) ??
        /^==(\d+(?:\.\d+)*)\.\*$/.exec(req.specifier)?.[1];
      if (!req.name || !pinned) {
        continue;
      }
      next.packages[req.name] = pinned;
      const variant =
        localLabel(pinned) ??
        /\/whl\/(cu\d+|cpu)$/.exec(command.options.indexUrl ?? '')?.[1];
      const cuda =
        variant && /^cu\d+$/.test(variant) ? parseCuda(variant) : null;
      if (req.name === 'torch') {
        const row = table.torch.rows.find(
          r => compare(r.version, publicVersion(pinned)) === 0
        );
        const built = cuda ?? (variant ? null : parseCuda(row?.default_cuda));
        next.frameworks.torch = {
          version: pinned,
          cuda: built ? `${built[0]}.${built[1]}` : null
        };
      } else if (req.name === 'torchvision' || req.name === 'torchaudio') {
        next.frameworks[req.name] = {
          version: pinned,
          cuda: cuda ? `${cuda[0]}.${cuda[1]}` : null
        };
      } else if (req.name === 'tensorflow') {
        const row = table.tensorflow.rows.find(
          r => r.version === majorMinor(pinned)
        )!;
        const shipped = table['hosted-runtimes'].rows.find(
          r => r.tensorflow === pinned
        );
        next.frameworks.tensorflow = {
          version: shipped?.tensorflow ?? `${row.version}.0`,
          cuda: row.cuda,
          cudnn: row.cudnn,
          is_cuda_build:
            next.platform.system === 'Linux' ||
            compare(row.version, '2.10') <= 0
        };
        if (req.extras.includes('and-cuda') || shipped) {
          next.cuda.libraries.push(...tensorflowLibraries(row));
        }
      }
    }
  }
  return next;
}

/** What a fix names must exist: the release in the table, a wheel for this Python, the variant's index. */
function installable(facts: IFacts, fixToCheck: IFix): string[] {
  const problems: string[] = [];
  const python = facts.python.version;
  const cell = fixToCheck.steps
    .filter(s => s.kind === 'pip')
    .map(s => `%pip ${s.text}`)
    .join('\n');
  for (const command of parseCell(cell).commands) {
    for (const req of command.requirements) {
      const pinned =
        exactVersion(req.specifier) ??
        /^==(\d+(?:\.\d+)*)\.\*$/.exec(req.specifier)?.[1];
      if (req.name === 'torch' && pinned) {
        const row = table.torch.rows.find(
          r => compare(r.version, publicVersion(pinned)) === 0
        );
        const variant = localLabel(pinned);
        if (!row) {
          problems.push(`no torch ${pinned} in the table`);
        } else if (
          row.requires_python &&
          !satisfies(python, row.requires_python)
        ) {
          problems.push(`torch ${pinned} needs Python ${row.requires_python}`);
        } else if (variant && !(row.variants ?? []).includes(variant)) {
          problems.push(`torch ${row.version} has no ${variant} index`);
        }
      }
      if (req.name === 'tensorflow' && pinned) {
        const row = table.tensorflow.rows.find(
          r => r.version === majorMinor(pinned)
        );
        if (!row) {
          problems.push(`no TensorFlow ${pinned} in the table`);
        } else if (!satisfies(python, row.python)) {
          problems.push(`TensorFlow ${pinned} needs Python ${row.python}`);
        }
      }
    }
  }
  return problems;
}

interface IScenario {
  facts: IFacts;
  label: string;
}

function scenarios(): IScenario[] {
  const random = rng(12);
  const pick = <T>(list: readonly T[]): T =>
    list[Math.floor(random() * list.length)];
  const out: IScenario[] = [];
  for (let i = 0; i < 800; i++) {
    const gpu = pick(GPUS);
    const driver = pick(DRIVERS);
    const python = pick(PYTHONS);
    const system = pick(SYSTEMS);
    const hosted = system === 'linux' && random() < 0.3;
    const facts = baseFacts(gpu, driver, python, system, hosted);
    let label = `${gpu[0]} ${gpu[1]}, driver ${driver}, Python ${python}, ${system}${hosted ? ', colab' : ''}`;
    if (random() < 0.6) {
      const row = pick(table.torch.rows.filter(r => r.variants?.length));
      const variant = pick(row.variants!.concat(['cpu']));
      const version = `${row.version}+${variant}`;
      const cuda = parseCuda(variant);
      facts.packages.torch = version;
      facts.frameworks.torch = {
        version,
        cuda: cuda ? `${cuda[0]}.${cuda[1]}` : null
      };
      label += `, torch ${version}`;
    } else {
      const row = pick(table.tensorflow.rows);
      facts.packages.tensorflow = `${row.version}.0`;
      facts.frameworks.tensorflow = {
        version: `${row.version}.0`,
        cuda: row.cuda,
        cudnn: row.cudnn,
        is_cuda_build: system !== 'windows' || compare(row.version, '2.10') <= 0
      };
      if (random() < 0.7) {
        facts.cuda.libraries.push(...tensorflowLibraries(row));
      }
      label += `, tensorflow ${row.version}`;
    }
    out.push({ facts, label });
  }
  return out;
}

const CELLS = [
  '!pip install -U torch torchvision torchaudio',
  '!pip install torch==2.5.1',
  '!pip install tensorflow==2.15.1',
  '!uv pip install -U torch',
  '!pip install torch --index-url https://download.pytorch.org/whl/cu118',
  '%pip install "tensorflow[and-cuda]==2.17.*"'
];

const loud = (findings: IFinding[]) =>
  findings.filter(f => f.severity !== 'info');
/** Findings a fix is meant to remove (the pre-flight ones are about a cell, not the environment). */
const FIXED_BY_FIX = new Set([
  'driver-too-old',
  'compute-capability-unsupported',
  'torch-cpu-build'
]);

describe('every fix is proven on a grid of generated facts', () => {
  const grid = scenarios();
  const checked = { findings: 0, fixes: 0, fixless: 0 };

  it('pre-flight raises no error or warning for any fix cell, and every fix is installable', () => {
    const failures: string[] = [];
    for (const { facts, label } of grid) {
      const findings = [
        ...diagnose(facts, table),
        ...CELLS.flatMap(cell => preflightCell(facts, table, cell))
      ];
      for (const finding of loud(findings)) {
        checked.findings++;
        checked.fixless += finding.fixes.length ? 0 : 1;
        for (const candidate of finding.fixes) {
          checked.fixes++;
          const flagged = loud(
            preflightCell(facts, table, renderCell(candidate))
          ).filter(f => f.id !== 'pip-restart-needed');
          const problems = [
            ...flagged.map(f => `pre-flight: ${f.severity}:${f.id} ${f.title}`),
            ...installable(facts, candidate)
          ];
          if (problems.length) {
            failures.push(
              `${label} | ${finding.id} | ${candidate.title}: ${problems.join('; ')}`
            );
          }
        }
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(checked.fixes).toBeGreaterThan(500);
  });

  it('applying a fix removes its finding and raises no new error', () => {
    const failures: string[] = [];
    let applied = 0;
    for (const { facts, label } of grid) {
      const before = loud(diagnose(facts, table));
      for (const finding of before.filter(f => FIXED_BY_FIX.has(f.id))) {
        for (const candidate of finding.fixes) {
          applied++;
          const after = diagnose(applyFix(facts, candidate), table);
          const still = after.filter(
            f => f.id === finding.id && f.severity !== 'info'
          );
          const fresh = after.filter(
            f => f.severity === 'error' && !before.some(b => b.id === f.id)
          );
          if (still.length || fresh.length) {
            failures.push(
              `${label} | ${finding.id} | ${candidate.title}: after it ${[...still, ...fresh].map(f => `${f.id}: ${f.title}`).join('; ')}`
            );
          }
        }
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(applied).toBeGreaterThan(100);
  });
});
