/**
 * The exact pre-flight: what pip's own resolver says an install will change (its installation
 * report, `pip install --dry-run --report -`), judged by the same pip rules as the cell's text.
 * Pure: running pip is the caller's (src/resolver.ts, the Python package), this only reads the
 * report it is handed.
 */
import { preflight } from './diagnose';
import { IFacts, Parsed } from './facts';
import { explainOutput } from './outputs';
import {
  IInstallCommand,
  IInstallPlan,
  IRequirement,
  parseCell
} from './pip/parse';
import { normalizeName } from './rules/requirements';
import { ICompatTable } from './table';
import { Arg, listed, t } from './text';
import { IFinding, IFix, sortFindings } from './types';

export interface IResolvedChange {
  name: string;
  /** Installed now; null when new. */
  now: string | null;
  after: string;
}

/**
 * The changes a pip installation report states (https://pip.pypa.io/en/stable/reference/installation-report/),
 * against what the facts say is installed. A report of another shape is a clear error.
 */
export function changesFromReport(
  report: unknown,
  facts: IFacts
): Parsed<IResolvedChange[]> {
  const install = (report as { install?: unknown })?.install;
  if (!Array.isArray(install)) {
    return {
      ok: false,
      error: 'pip\'s report has no "install" list: not an installation report'
    };
  }
  const changes: IResolvedChange[] = [];
  for (const item of install) {
    const metadata = (
      item as { metadata?: { name?: unknown; version?: unknown } }
    )?.metadata;
    if (
      typeof metadata?.name !== 'string' ||
      typeof metadata.version !== 'string'
    ) {
      return {
        ok: false,
        error:
          "pip's report lists an item without metadata.name and metadata.version"
      };
    }
    const name = normalizeName(metadata.name);
    const now = facts.packages[name] ?? null;
    if (now !== metadata.version) {
      changes.push({ name, now, after: metadata.version });
    }
  }
  return { ok: true, value: changes };
}

/** Packages whose change the pip rules judge (frameworks, their companions, NumPy, CUDA wheels). */
const JUDGED =
  /^(torch|torchvision|torchaudio|tensorflow|tensorflow-cpu|jax|jaxlib|bitsandbytes|numpy|nvidia-.*)$/;

/** The resolved changes as the exact requirements of the same command (same indexes, same options). */
function resolvedCommand(
  command: IInstallCommand,
  changes: IResolvedChange[]
): IInstallCommand {
  const asked = new Map(command.requirements.map(r => [r.name, r]));
  const requirements: IRequirement[] = changes
    .filter(c => JUDGED.test(c.name))
    .map(c => {
      const own = asked.get(c.name);
      const named = command.requirements
        .map(r => r.name)
        .filter((n): n is string => !!n);
      return {
        ...(own ? {} : { pulledBy: named }),
        name: c.name,
        extras: own?.extras ?? [],
        specifier: `==${c.after}`,
        marker: null,
        url: null,
        text: `${c.name}==${c.after}`,
        line: own?.line ?? command.line,
        from: own?.from ?? command.from,
        to: own?.to ?? command.to
      };
    });
  return {
    ...command,
    requirements,
    unquoted: [],
    options: { ...command.options, upgrade: false, forceReinstall: false }
  };
}

/** The changes as one message: `a (new) → 1.0; b 2.18.0 → 2.15.0`. */
export function changeTable(changes: IResolvedChange[]): Arg {
  return listed(
    changes.map(c => t('%1 %2 → %3', c.name, c.now ?? t('(new)'), c.after))
  );
}

/**
 * The findings of one install command as pip resolved it: the pip rules on the exact versions it
 * will install, each with the change table as evidence (package, now → after).
 */
export function preflightResolved(
  facts: IFacts,
  table: ICompatTable,
  command: IInstallCommand,
  changes: IResolvedChange[]
): IFinding[] {
  const evidence = {
    label: t('pip resolved this cell to'),
    value: changes.length ? changeTable(changes) : t('no changes')
  };
  return preflight(facts, table, {
    commands: [resolvedCommand(command, changes)],
    unknown: []
  }).map(f => ({ ...f, evidence: [...f.evidence, evidence] }));
}

/** What pip answered for one command: its installation report, or why it could not resolve. */
export type PipAnswer =
  | { ok: true; report: unknown; cached?: boolean }
  | { ok: false; reason: string; stderr?: string };

export interface IResolution {
  command: IInstallCommand;
  /** Judged on the versions pip resolved. */
  exact: boolean;
  /** What pip would change, when exact. */
  changes?: IResolvedChange[];
  /** Why not, when not. */
  reason?: string;
}

/**
 * The findings of a plan with pip's answers where there are some: a resolved command is judged on
 * the exact versions (its quoting on the text), an unresolved one on its text, with pip's own
 * error explained from the catalogue. `resolution`: per command, whether the exact check ran, and
 * why not.
 */
export function preflightWithAnswers(
  facts: IFacts,
  table: ICompatTable,
  plan: IInstallPlan,
  answerOf: (command: IInstallCommand) => PipAnswer | undefined
): { findings: IFinding[]; resolution: IResolution[] } {
  // Where pip cannot be asked again, a fix only pip can confirm is not offered.
  const judged = judgeWithAnswers(facts, table, plan, answerOf);
  return {
    ...judged,
    findings: judged.findings.map(f => ({
      ...f,
      fixes: f.fixes.filter(candidate => !candidate.confirm)
    }))
  };
}

/**
 * preflightWithAnswers, where pip can be asked again: each fix only pip can confirm is resolved
 * too, and offered when pip resolves it and the rules find nothing to warn about in what it would
 * change.
 */
export async function preflightConfirmed(
  facts: IFacts,
  table: ICompatTable,
  plan: IInstallPlan,
  answerOf: (command: IInstallCommand) => PipAnswer | undefined,
  ask: (command: IInstallCommand) => Promise<PipAnswer>
): Promise<{ findings: IFinding[]; resolution: IResolution[] }> {
  const judged = judgeWithAnswers(facts, table, plan, answerOf);
  const findings: IFinding[] = [];
  for (const finding of judged.findings) {
    const fixes: IFix[] = [];
    for (const candidate of finding.fixes) {
      if (!candidate.confirm) {
        fixes.push(candidate);
      } else if (await fixResolves(facts, table, candidate, ask)) {
        fixes.push({ ...candidate, confirm: undefined });
      }
    }
    findings.push({ ...finding, fixes });
  }
  return { ...judged, findings };
}

async function fixResolves(
  facts: IFacts,
  table: ICompatTable,
  candidate: IFix,
  ask: (command: IInstallCommand) => Promise<PipAnswer>
): Promise<boolean> {
  const step = candidate.steps.find(s => s.kind === 'pip');
  const command =
    step && typeof step.text === 'string'
      ? parseCell(`!pip ${step.text}`).commands[0]
      : undefined;
  if (!command?.argv) {
    return false;
  }
  const answer = await ask(command);
  const changes = answer.ok ? changesFromReport(answer.report, facts) : null;
  return (
    !!changes?.ok &&
    !preflightResolved(facts, table, command, changes.value).some(
      f => f.severity !== 'info'
    )
  );
}

function judgeWithAnswers(
  facts: IFacts,
  table: ICompatTable,
  plan: IInstallPlan,
  answerOf: (command: IInstallCommand) => PipAnswer | undefined
): { findings: IFinding[]; resolution: IResolution[] } {
  const findings: IFinding[] = [];
  const resolution: IResolution[] = [];
  for (const command of plan.commands) {
    const single = { commands: [command], unknown: [] };
    const answer = answerOf(command);
    const changes = answer?.ok ? changesFromReport(answer.report, facts) : null;
    if (changes?.ok) {
      findings.push(
        ...preflight(facts, table, single).filter(
          f => f.id === 'pip-unquoted-specifier'
        ),
        ...preflightResolved(facts, table, command, changes.value)
      );
      resolution.push({ command, exact: true, changes: changes.value });
      continue;
    }
    findings.push(...preflight(facts, table, single));
    resolution.push({
      command,
      exact: false,
      reason: !answer
        ? 'not resolved'
        : answer.ok
          ? (changes as { error: string }).error
          : answer.reason
    });
    if (answer && !answer.ok && answer.stderr) {
      findings.push(
        ...explainOutput(answer.stderr, facts, table)
          .findings.filter(f => f.severity !== 'info')
          .map(f => ({
            ...f,
            range: { line: command.line, from: command.from, to: command.to }
          }))
      );
    }
  }
  return { findings: sortFindings(findings), resolution };
}

/** uv's dry-run plan (" + name==version" lines) in the shape of pip's installation report. */
export function uvPlanReport(text: string): {
  version: string;
  install: unknown[];
} {
  const install = [
    ...text.matchAll(/^\s*\+\s+([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)\s*$/gm)
  ].map(m => ({ metadata: { name: m[1], version: m[2] } }));
  return { version: 'uv', install };
}
