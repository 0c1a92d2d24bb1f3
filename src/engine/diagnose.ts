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
import {
  computeCapability,
  driverTooOld,
  multipleToolkits,
  noGpu
} from './rules/gpu';
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
import { IFinding, sortFindings } from './types';

export type Rule = (ctx: IContext) => IFinding[];

export const RULES: Rule[] = [
  noGpu,
  driverTooOld,
  computeCapability,
  multipleToolkits,
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
        title: `A check could not run (${name})`,
        explanation: `The facts had a shape this check did not expect: ${error instanceof Error ? error.message : String(error)}`,
        evidence: [],
        fixes: [],
        sources: []
      }
    ];
  }
}

/** All findings for one environment, errors first. */
export function diagnose(facts: IFacts, table: ICompatTable): IFinding[] {
  const ctx = makeContext(facts, table);
  return sortFindings(
    RULES.flatMap(rule => safely(rule.name, () => rule(ctx)))
  );
}

/** The findings of every install command in a plan, errors first, then in cell order. */
export function preflight(
  facts: IFacts,
  table: ICompatTable,
  plan: IInstallPlan
): IFinding[] {
  const ctx = makeContext(facts, table);
  const findings = plan.commands.flatMap(command =>
    PIP_RULES.flatMap(rule => safely(rule.name, () => rule(ctx, command)))
  );
  return sortFindings(findings);
}

/** preflight for the text of a cell. */
export function preflightCell(
  facts: IFacts,
  table: ICompatTable,
  cell: string
): IFinding[] {
  return preflight(facts, table, parseCell(cell));
}
