/** What every rule needs: the facts, the table, and answers derived from them once. */
import { cudaOfDriver } from './cuda';
import { IFacts, IScans } from './facts';
import { ICompatTable } from './table';
import { parseCuda } from './versions';

export interface IContext {
  facts: IFacts;
  table: ICompatTable;
  /** The highest CUDA the driver supports: as it said, or from its version and the table. */
  driverCuda: [number, number] | null;
  /** A GPU is visible to this process. */
  hasGpu: boolean;
  /** Some sign of an NVIDIA driver (a GPU, a driver version, /dev/nvidia*). */
  nvidiaPresent: boolean;
  /** The operating system the frameworks' wheels are for: 'linux', 'windows', 'macos'. */
  os: 'linux' | 'windows' | 'macos' | 'other';
  /**
   * Did this scan run? Facts from the probe say so (older probes: every scan ran); partial facts
   * (a pasted report) do not, and a rule that fires on an absence must not fire on an unknown.
   */
  scanned: (scan: keyof IScans) => boolean;
}

/**
 * One context per facts and table: facts are never changed once made (a new probe gives a new
 * object), so what rules derive from them (the runnable builds, the pre-flight of a fix) is kept
 * across the calls of one kernel's diagnosis and of every cell checked against it.
 */
const contexts = new WeakMap<IFacts, WeakMap<ICompatTable, IContext>>();

export function makeContext(facts: IFacts, table: ICompatTable): IContext {
  const forFacts = contexts.get(facts) ?? new WeakMap<ICompatTable, IContext>();
  contexts.set(facts, forFacts);
  let ctx = forFacts.get(table);
  if (!ctx) {
    ctx = newContext(facts, table);
    forFacts.set(table, ctx);
  }
  return ctx;
}

function newContext(facts: IFacts, table: ICompatTable): IContext {
  const system = facts.platform.system.toLowerCase();
  const os =
    system === 'linux'
      ? 'linux'
      : system === 'windows'
        ? 'windows'
        : system === 'darwin'
          ? 'macos'
          : 'other';
  const partial = { facts, table, os } as const;
  return {
    ...partial,
    driverCuda:
      parseCuda(facts.driver.cuda_version) ??
      (facts.driver.version
        ? cudaOfDriver(partial, facts.driver.version)
        : null),
    hasGpu: facts.gpus.length > 0,
    nvidiaPresent:
      facts.gpus.length > 0 ||
      !!facts.driver.version ||
      !!facts.driver.cuda_version ||
      !!facts.devices?.dev_nodes.length,
    scanned: scan => facts.scans?.[scan] ?? true
  };
}
