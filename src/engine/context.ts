/** What every rule needs: the facts, the table, and answers derived from them once. */
import { IFacts } from './facts';
import { ICompatTable } from './table';
import { compareCuda, parseCuda } from './versions';

export interface IContext {
  facts: IFacts;
  table: ICompatTable;
  /** The highest CUDA the driver supports, when a driver answered. */
  driverCuda: [number, number] | null;
  /** A GPU is visible to this process. */
  hasGpu: boolean;
  /** Some sign of an NVIDIA driver (a GPU, a driver version, /dev/nvidia*). */
  nvidiaPresent: boolean;
  /** The operating system the frameworks' wheels are for: 'linux', 'windows', 'macos'. */
  os: 'linux' | 'windows' | 'macos' | 'other';
}

export function makeContext(facts: IFacts, table: ICompatTable): IContext {
  const system = facts.platform.system.toLowerCase();
  const os =
    system === 'linux'
      ? 'linux'
      : system === 'windows'
        ? 'windows'
        : system === 'darwin'
          ? 'macos'
          : 'other';
  return {
    facts,
    table,
    driverCuda: parseCuda(facts.driver.cuda_version),
    hasGpu: facts.gpus.length > 0,
    nvidiaPresent:
      facts.gpus.length > 0 ||
      !!facts.driver.version ||
      !!facts.devices?.dev_nodes.length,
    os
  };
}

/** Can a driver that supports up to `driver` run code built for CUDA `built`? */
export function driverServes(
  driver: [number, number],
  built: [number, number]
): 'yes' | 'minor-compat' | 'no' {
  if (compareCuda(driver, built) >= 0) {
    return 'yes';
  }
  // CUDA minor-version compatibility: a 12.x runtime runs on any 12.y driver (PTX JIT aside).
  return driver[0] === built[0] && built[0] >= 11 ? 'minor-compat' : 'no';
}
