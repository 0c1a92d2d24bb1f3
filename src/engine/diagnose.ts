/** diagnose(facts, table) -> findings: every rule, run over the facts of one kernel. */
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

/** All findings for one environment, errors first. A rule that throws is reported, not fatal. */
export function diagnose(facts: IFacts, table: ICompatTable): IFinding[] {
  const ctx = makeContext(facts, table);
  const findings: IFinding[] = [];
  for (const rule of RULES) {
    try {
      findings.push(...rule(ctx));
    } catch (error) {
      findings.push({
        id: 'unknown-version',
        severity: 'info',
        title: `A check could not run (${rule.name})`,
        explanation: `The facts had a shape this check did not expect: ${error instanceof Error ? error.message : String(error)}`,
        evidence: [],
        fixes: [],
        sources: []
      });
    }
  }
  return sortFindings(findings);
}
