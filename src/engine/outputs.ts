/**
 * explainOutput(text, facts?, table?) -> the well-known GPU error lines in a cell's output or a
 * log, each tied to a finding id, with benign noise told apart from real failures. With the
 * kernel's facts, a line is linked to the diagnosis' own finding (exact versions and fixes).
 */
import { diagnose } from './diagnose';
import { IFacts, unknownFacts } from './facts';
import { findMessages, IMessageMatch } from './messages';
import { factsFromReport } from './reports';
import { fix, pip, RESTART, VERIFY } from './fixes';
import { ICompatTable } from './table';
import { IText, sentences, t } from './text';
import { FindingId, IFinding, sortFindings } from './types';

export interface ILogMatch {
  /** 1-based line in the text. */
  line: number;
  text: string;
  id: FindingId;
  /** Noise that needs no action (in this output). */
  benign: boolean;
  note: IText;
}

export interface IOutputExplanation {
  matches: ILogMatch[];
  findings: IFinding[];
  /** The pasted reports recognised in the text (collect_env, nvidia-smi, pip list …), read as facts. */
  reports?: string[];
}

/** Lines that look alarming but never mean a problem. */
const NOISE = [
  /successful NUMA node read from SysFS had negative value/,
  /This TensorFlow binary is optimized to use available CPU instructions/,
  /oneDNN custom operations are on/,
  /computation placer already registered/
];

/** The label of a benign line's finding: its entry's finding, else "informational". */
function matchId(match: IMessageMatch): FindingId {
  return match.entry.finding === 'benign'
    ? 'unknown-version'
    : match.entry.finding;
}

function describeParams(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([name, value]) => `${name.replace(/_/g, ' ')} ${value}`)
    .join(', ');
}

/**
 * The facts a log states, laid over the probe's (which win where both speak): the driver's CUDA
 * from "found version 12080", the GPU's compute capability from "with CUDA capability sm_120",
 * the targets a build was compiled for.
 */
function withLogFacts(
  facts: IFacts | null | undefined,
  messages: IMessageMatch[]
): IFacts | null {
  const params = Object.assign({}, ...messages.map(m => m.params)) as Record<
    string,
    string
  >;
  if (!facts && !Object.keys(params).length) {
    return null;
  }
  const base: IFacts = facts
    ? JSON.parse(JSON.stringify(facts))
    : { ...unknownFacts(), partial: true, scans: {} };
  if (params.driver_cuda && !base.driver.cuda_version) {
    base.driver.cuda_version = params.driver_cuda;
  }
  if (params.sm && !base.gpus.some(g => g.compute_capability)) {
    base.gpus = [
      { index: 0, name: params.gpu ?? 'GPU', compute_capability: params.sm }
    ];
  }
  const builtFor = params.torch_cuda ?? params.built_cuda;
  if (builtFor && !base.frameworks.torch) {
    base.frameworks.torch = { version: 'unknown', cuda: builtFor };
  }
  if (
    params.arch_list &&
    base.frameworks.torch &&
    !base.frameworks.torch.arch_list
  ) {
    base.frameworks.torch.arch_list = params.arch_list.split(' ');
  }
  return base;
}

export function explainOutput(
  text: string,
  facts?: IFacts | null,
  table?: ICompatTable | null
): IOutputExplanation {
  // A pasted report (collect_env, nvidia-smi, pip list …) gives facts where the probe gave none.
  const pasted = !facts && table ? factsFromReport(text, table) : null;
  facts = facts ?? pasted?.facts ?? null;
  const messages = findMessages(text);
  // Duplicate registrations are noise, except next to "Cannot dlopen": then they are the start of the failure.
  const realTfFailure = messages.some(
    m => m.entry.finding === 'tf-cuda-libs-missing'
  );
  const matches: ILogMatch[] = messages.map(m => {
    const partOfFailure =
      m.entry.finding === 'duplicate-cuda-registration' && realTfFailure;
    const benign =
      (m.entry.finding === 'benign' || m.entry.severity === 'info') &&
      !partOfFailure;
    const params = describeParams(m.params);
    return {
      line: m.line,
      text: m.text,
      id: partOfFailure ? 'tf-cuda-libs-missing' : matchId(m),
      benign,
      note: sentences(
        params ? t('%1 (%2)', t(m.entry.why), params) : t(m.entry.why),
        partOfFailure &&
          t(
            'Here it comes with "Cannot dlopen some GPU libraries": part of a real failure.'
          )
      )
    };
  });
  const lines = text.split(/\r?\n/);
  const seen = new Set(matches.map(m => m.line));
  lines.forEach((raw, index) => {
    if (
      !seen.has(index + 1) &&
      NOISE.some(noise => noise.test(raw.slice(0, 4000)))
    ) {
      matches.push({
        line: index + 1,
        text: raw.trim(),
        id: 'unknown-version',
        benign: true,
        note: t('Informational log line; no action needed.')
      });
    }
  });
  matches.sort((a, b) => a.line - b.line);
  const merged = table ? withLogFacts(facts, messages) : null;
  const diagnosed = merged && table ? diagnose(merged, table) : [];
  const firstOf = new Map<FindingId, IMessageMatch>();
  for (const m of messages) {
    const id = matchId(m);
    const absorbed =
      m.entry.finding === 'duplicate-cuda-registration' && realTfFailure;
    if (m.entry.finding !== 'benign' && !absorbed && !firstOf.has(id)) {
      firstOf.set(id, m);
    }
  }
  const findings = [...firstOf.entries()].map(([id, m]) => {
    const found = diagnosed.find(f => f.id === id);
    const fromLog = fromEntry(m);
    return found
      ? { ...found, evidence: [...found.evidence, ...fromLog.evidence] }
      : fromLog;
  });
  // What the facts alone show (a pasted report without a known error line) comes too.
  const more = pasted
    ? diagnosed.filter(
        f => f.severity !== 'info' && !findings.some(g => g.id === f.id)
      )
    : [];
  return {
    matches,
    findings: sortFindings([...findings, ...more]),
    reports: pasted?.kinds ?? []
  };
}

/** The findings the output shows a real problem for (not only benign noise). */
export function outputProblems(explanation: IOutputExplanation): IFinding[] {
  return explanation.findings.filter(f =>
    explanation.matches.some(m => m.id === f.id && !m.benign)
  );
}

const VERIFY_FOR: Partial<Record<FindingId, string>> = {
  'bnb-missing-binary': VERIFY.bitsandbytes,
  'tf-cuda-libs-missing': VERIFY.tensorflow,
  'torch-cpu-build': VERIFY.torch,
  'torch-cuda-deps-missing': VERIFY.torch,
  'compute-capability-unsupported': VERIFY.torch,
  'jax-cuda-mismatch': VERIFY.jax,
  'no-gpu-visible': VERIFY.gpu,
  'driver-too-old': VERIFY.gpu
};

/** A finding made from the log line alone, when no facts say more. */
function fromEntry(match: IMessageMatch): IFinding {
  const { entry } = match;
  const id = matchId(match);
  const fixes =
    id === 'bnb-missing-binary'
      ? [
          fix(
            t('Install a bitsandbytes that ships binaries for current CUDA'),
            pip('-U', 'bitsandbytes>=0.43.1'),
            RESTART
          )
        ]
      : [];
  const params = describeParams(match.params);
  return {
    id,
    severity: entry.severity,
    // Message ids from the catalogue's data, extracted from src/messages/*.json.
    title: t(entry.title),
    explanation:
      entry.finding === 'benign' || entry.severity === 'info'
        ? t(entry.why)
        : sentences(
            t(entry.why),
            t(
              'Run the probe in this environment for the exact versions and the fix.'
            )
          ),
    evidence: [
      { label: t('log line %1', match.line), value: match.text.slice(0, 300) },
      ...(params ? [{ label: t('the log says'), value: params }] : [])
    ],
    fixes,
    verify: VERIFY_FOR[id],
    sources: entry.emitted_by ? [entry.emitted_by] : [entry.examples[0].url]
  };
}
