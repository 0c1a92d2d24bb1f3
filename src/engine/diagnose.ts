/**
 * diagnose(facts, table) -> findings: every rule, run over the facts of one kernel.
 * preflight(facts, table, plan) -> findings: what an install command would do to that kernel.
 */
import { IContext, makeContext } from './context';
import { IFacts } from './facts';
import { bnbMissingBinary } from './rules/bitsandbytes';
import {
  cudnnConflict,
  restartNeeded,
  unknownVersions
} from './rules/environment';
import { computeCapability, driverTooOld, noGpu } from './rules/gpu';
import { cudnnTooOld, libraryCopies } from './rules/libraries';
import { jaxCudaMismatch } from './rules/jax';
import { IInstallPlan, parseCell } from './pip/parse';
import { PIP_RULES } from './rules/pip';
import {
  tensorrtMissing,
  tfCudaLibs,
  tfDowngrade,
  tfWindowsNative
} from './rules/tensorflow';
import { torchCompanions, torchCpuBuild, torchCudaDeps } from './rules/torch';
import { ICompatTable } from './table';
import { t } from './text';
import { IFinding, IFix, sortFindings } from './types';

export type Rule = (ctx: IContext) => IFinding[];

export const RULES: Rule[] = [
  noGpu,
  driverTooOld,
  computeCapability,
  libraryCopies,
  cudnnTooOld,
  torchCpuBuild,
  torchCudaDeps,
  torchCompanions,
  tfCudaLibs,
  tfDowngrade,
  tfWindowsNative,
  tensorrtMissing,
  cudnnConflict,
  jaxCudaMismatch,
  bnbMissingBinary,
  restartNeeded,
  unknownVersions
];

/** Run one check; a check that throws is reported as a finding, never fatal. */
function safely(name: string, check: () => IFinding[]): IFinding[] {
  try {
    return check();
  } catch (error) {
    return [
      {
        id: 'unknown-version',
        severity: 'info',
        title: t('A check could not run (%1)', name),
        explanation: t(
          'The facts had a shape this check did not expect: %1',
          error instanceof Error ? error.message : String(error)
        ),
        evidence: [],
        fixes: [],
        sources: []
      }
    ];
  }
}

/** The pre-flight of an install plan, its fixes not yet checked. */
function preflightFindings(ctx: IContext, plan: IInstallPlan): IFinding[] {
  return plan.commands.flatMap(command =>
    PIP_RULES.flatMap(rule => safely(rule.name, () => rule(ctx, command)))
  );
}

/** The fix's install steps as a cell, the way the notebook would run it. */
function fixCell(fixToCheck: IFix): string {
  return fixToCheck.steps
    .filter(step => step.kind === 'pip' || step.kind === 'shell')
    .map(step => (step.kind === 'pip' ? `%pip ${step.text}` : `!${step.text}`))
    .join('\n');
}

/**
 * A fix is offered only if the engine's own pre-flight, on the same facts, raises no error and no
 * warning for it (a restart notice is expected where the fix restarts the kernel).
 */
const checkedFixes = new WeakMap<IContext, Map<string, boolean>>();

function passesPreflight(ctx: IContext, fixToCheck: IFix): boolean {
  const cell = fixCell(fixToCheck);
  if (!cell) {
    return true;
  }
  const restarts = fixToCheck.steps.some(step => step.kind === 'restart');
  const checked = checkedFixes.get(ctx) ?? new Map<string, boolean>();
  checkedFixes.set(ctx, checked);
  const key = `${restarts}|${cell}`;
  if (!checked.has(key)) {
    checked.set(
      key,
      !preflightFindings(ctx, parseCell(cell)).some(
        f =>
          f.severity !== 'info' && !(restarts && f.id === 'pip-restart-needed')
      )
    );
  }
  return checked.get(key)!;
}

function proven(ctx: IContext, findings: IFinding[]): IFinding[] {
  return findings.map(f => ({
    ...f,
    fixes: f.fixes.filter(candidate => passesPreflight(ctx, candidate))
  }));
}

/** All findings for one environment, errors first. */
export function diagnose(facts: IFacts, table: ICompatTable): IFinding[] {
  const ctx = makeContext(facts, table);
  return sortFindings(
    proven(
      ctx,
      RULES.flatMap(rule => safely(rule.name, () => rule(ctx)))
    )
  );
}

/** The findings of every install command in a plan, errors first, then in cell order. */
export function preflight(
  facts: IFacts,
  table: ICompatTable,
  plan: IInstallPlan
): IFinding[] {
  const ctx = makeContext(facts, table);
  return sortFindings(proven(ctx, preflightFindings(ctx, plan)));
}

/** preflight for the text of a cell. */
export function preflightCell(
  facts: IFacts,
  table: ICompatTable,
  cell: string
): IFinding[] {
  return preflight(facts, table, parseCell(cell));
}
