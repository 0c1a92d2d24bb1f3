/**
 * The corpus of real reports (test/corpus/cases/*.json, see README.md) run through the engine:
 * each case's stack becomes partial facts, diagnose (and preflight, for a cell) judges them, and
 * the verdict is compared with what the thread states.
 */
import * as fs from 'fs';
import * as path from 'path';
import { preflightCell, diagnose } from '../../src/engine/diagnose';
import { IFacts, ILibrary } from '../../src/engine/facts';
import { ICompatTable } from '../../src/engine/table';
import { IFinding } from '../../src/engine/types';
import { explainOutput, outputProblems } from '../../src/engine/outputs';
import {
  compare,
  cudaOfLocalLabel,
  publicVersion
} from '../../src/engine/versions';

export interface IStack {
  os?: 'linux' | 'windows' | 'wsl' | 'macos';
  python?: string;
  hosted?: string | null;
  container?: string | null;
  gpus?: { name: string; cc?: string | null }[];
  driver?: string;
  driver_cuda?: string;
  driver_error?: string;
  torch?: string;
  torch_cuda?: string | null;
  torch_arch_list?: string[];
  torchvision?: string;
  torchaudio?: string;
  tensorflow?: string;
  tf_cuda?: string;
  tf_cudnn?: string;
  jax?: string;
  jaxlib?: string;
  jax_plugins?: Record<string, string>;
  bitsandbytes?: string;
  libraries?: Partial<ILibrary>[];
  /** The thread states every CUDA library installed (so an absent one is absent). */
  libraries_complete?: boolean;
  packages?: Record<string, string>;
  env?: Record<string, string>;
  imported?: Record<string, string>;
  cell?: string;
}

export interface ICase {
  id: string;
  url: string;
  date: string;
  quote: string[];
  stated: string;
  verdict: 'broken' | 'healthy';
  expect?: string;
  expect_also?: string[];
  stack: IStack;
}

const CASES = path.join(__dirname, 'cases');

export function loadCases(): { file: string; case: ICase }[] {
  return fs
    .readdirSync(CASES)
    .filter(f => f.endsWith('.json'))
    .sort()
    .flatMap(file =>
      (
        JSON.parse(fs.readFileSync(path.join(CASES, file), 'utf8')) as ICase[]
      ).map(c => ({ file, case: c }))
    );
}

/** The stack a thread states, as the partial facts a pasted report gives: what it omits is unknown. */
export function factsOf(
  stack: IStack,
  table: ICompatTable,
  date: string
): IFacts {
  const os = stack.os ?? 'linux';
  const system = {
    linux: 'Linux',
    wsl: 'Linux',
    windows: 'Windows',
    macos: 'Darwin'
  }[os];
  const packages: Record<string, string> = { ...(stack.packages ?? {}) };
  const frameworks: IFacts['frameworks'] = { imported: stack.imported ?? {} };
  if (stack.torch || stack.torch_cuda || stack.torch_arch_list) {
    // A torch without a local label on Linux is PyPI's default wheel: the table's default CUDA.
    const version = stack.torch ?? 'unknown';
    const defaultCuda =
      os !== 'windows'
        ? table.torch.rows.find(
            r => compare(r.version, publicVersion(version)) === 0
          )?.default_cuda
        : null;
    frameworks.torch = {
      version,
      cuda:
        stack.torch_cuda !== undefined
          ? stack.torch_cuda
          : (cudaOfLocalLabel(version) ?? defaultCuda ?? null),
      ...(stack.torch_arch_list ? { arch_list: stack.torch_arch_list } : {})
    };
    if (stack.torch) {
      packages.torch = stack.torch;
    }
  }
  for (const name of ['torchvision', 'torchaudio'] as const) {
    const version = stack[name];
    if (version) {
      const cuda = cudaOfLocalLabel(version);
      frameworks[name] = { version, ...(cuda !== undefined ? { cuda } : {}) };
      packages[name] = version;
    }
  }
  if (stack.tensorflow || stack.tf_cuda || stack.tf_cudnn) {
    const version = stack.tensorflow ?? 'unknown';
    const row = table.tensorflow.rows.find(
      r => r.version === version.split('.').slice(0, 2).join('.')
    );
    // TensorFlow's Linux wheels are CUDA builds (from 2.1); on Windows up to 2.10.
    const cudaBuild =
      os === 'macos'
        ? false
        : os === 'windows'
          ? compare(version, '2.11') < 0
          : true;
    frameworks.tensorflow = {
      version,
      cuda: stack.tf_cuda ?? row?.cuda ?? null,
      cudnn: stack.tf_cudnn ?? row?.cudnn ?? null,
      is_cuda_build: cudaBuild
    };
    if (stack.tensorflow) {
      packages.tensorflow = stack.tensorflow;
    }
  }
  if (stack.jax || stack.jaxlib) {
    frameworks.jax = {
      version: stack.jax ?? null,
      jaxlib: stack.jaxlib ?? null,
      plugins: stack.jax_plugins ?? {}
    };
  }
  if (stack.bitsandbytes) {
    frameworks.bitsandbytes = { version: stack.bitsandbytes, binaries: [] };
    packages.bitsandbytes = stack.bitsandbytes;
  }
  // An empty GPU list is stated as `gpus: []`; a driver without GPUs says nothing about them.
  const gpuScan = stack.gpus !== undefined || !!stack.driver_error;
  return {
    schema_version: 1,
    probe_version: 'corpus',
    partial: true,
    as_of: `${date}-28`,
    scans: {
      packages: !!stack.packages,
      // A report that names a library rarely lists every one: only a stated full list counts.
      libraries: !!stack.libraries_complete,
      gpus: gpuScan
    },
    python: { version: stack.python ?? '', executable: '' },
    platform: {
      system,
      wsl: os === 'wsl',
      container: stack.container ?? null,
      hosted: stack.hosted ? { name: stack.hosted, release: null } : null
    },
    gpus: (stack.gpus ?? []).map((g, index) => ({
      index,
      name: g.name,
      compute_capability: g.cc ?? null
    })),
    driver: {
      version: stack.driver ?? null,
      cuda_version: stack.driver_cuda ?? null
    },
    devices: {
      dev_nodes: stack.gpus?.length ? ['nvidia0'] : [],
      proc_driver: !!stack.driver
    },
    cuda: {
      toolkits: [],
      libraries: (stack.libraries ?? []).map(l => ({
        kind: l.kind ?? 'cudart',
        path: l.path ?? `/${l.source ?? 'system'}/lib${l.kind}.so`,
        source: l.source ?? 'system',
        version: l.version ?? null
      }))
    },
    packages,
    frameworks,
    env: stack.env ?? {},
    errors: stack.driver_error
      ? [{ step: 'nvidia-smi', message: stack.driver_error }]
      : []
  };
}

export interface IScored {
  file: string;
  case: ICase;
  findings: IFinding[];
  right: boolean;
  /** A healthy case given an error or a warning. */
  falseAlarm: boolean;
  /** A broken case whose expected finding is the first error or warning. */
  first: boolean;
}

const loud = (f: IFinding) =>
  f.severity === 'error' || f.severity === 'warning';

/** A terminal command in a case runs as a shell line of the cell. */
function asCell(command: string): string {
  return /^\s*[!%]/.test(command) ? command : `!${command}`;
}

/**
 * Judge one case: from the facts alone, or (`withMessages`) also from the lines the thread quotes,
 * as the output watcher and `explain` read them.
 */
export function scoreCase(
  file: string,
  c: ICase,
  table: ICompatTable,
  withMessages = false
): IScored {
  const facts = factsOf(c.stack, table, c.date);
  const findings = [
    ...(c.stack.cell ? preflightCell(facts, table, asCell(c.stack.cell)) : []),
    ...diagnose(facts, table),
    ...(withMessages
      ? outputProblems(explainOutput(c.quote.join('\n'), facts, table))
      : [])
  ].filter(loud);
  const wanted = new Set([c.expect, ...(c.expect_also ?? [])]);
  const right =
    c.verdict === 'healthy'
      ? findings.length === 0
      : findings.some(f => wanted.has(f.id));
  return {
    file,
    case: c,
    findings,
    right,
    falseAlarm: c.verdict === 'healthy' && findings.length > 0,
    first: c.verdict === 'broken' && wanted.has(findings[0]?.id)
  };
}

export interface IReport {
  scored: IScored[];
  right: number;
  total: number;
  broken: number;
  brokenRight: number;
  firstRight: number;
  healthy: number;
  falseAlarms: number;
}

export function scoreCorpus(
  table: ICompatTable,
  withMessages = false
): IReport {
  const scored = loadCases().map(({ file, case: c }) =>
    scoreCase(file, c, table, withMessages)
  );
  const broken = scored.filter(s => s.case.verdict === 'broken');
  return {
    scored,
    right: scored.filter(s => s.right).length,
    total: scored.length,
    broken: broken.length,
    brokenRight: broken.filter(s => s.right).length,
    firstRight: broken.filter(s => s.first).length,
    healthy: scored.length - broken.length,
    falseAlarms: scored.filter(s => s.falseAlarm).length
  };
}

const pct = (n: number, d: number) =>
  `${d ? ((100 * n) / d).toFixed(1) : '0'}%`;

/** The report `make eval` prints. */
export function formatReport(report: IReport): string {
  const lines = [
    `Real reports: ${report.total} cases from public threads (${report.broken} broken, ${report.healthy} healthy)`,
    `  right:        ${report.right}/${report.total} (${pct(report.right, report.total)})`,
    `  broken found: ${report.brokenRight}/${report.broken} (${pct(report.brokenRight, report.broken)}); as the first finding: ${report.firstRight}`,
    `  false alarms: ${report.falseAlarms} of ${report.healthy} healthy`
  ];
  const files = [...new Set(report.scored.map(s => s.file))];
  for (const file of files) {
    const mine = report.scored.filter(s => s.file === file);
    lines.push(`  ${file}: ${mine.filter(s => s.right).length}/${mine.length}`);
  }
  const wrong = report.scored.filter(s => !s.right);
  if (wrong.length) {
    lines.push('Wrong:');
    for (const s of wrong) {
      const got =
        s.findings.map(f => `${f.severity}:${f.id}`).join(', ') || 'nothing';
      lines.push(
        `  ${s.case.id} (${s.case.verdict}${s.case.expect ? `, expects ${s.case.expect}` : ''}): got ${got}\n    ${s.case.url}`
      );
    }
  }
  return lines.join('\n');
}
