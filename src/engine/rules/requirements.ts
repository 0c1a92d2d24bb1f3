/** Checking Requires-Dist lines (`nvidia-cudnn-cu12==9.1.0.70; platform_system == "Linux"`) against installed packages. */
import { IContext } from '../context';
import { satisfies } from '../versions';

export interface IUnmet {
  name: string;
  specifier: string;
  installed: string | null;
}

const REQUIREMENT =
  /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*\(?\s*([^;()]*?)\s*\)?\s*(?:;\s*(.*))?$/;

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Markers are only evaluated for what matters here: Linux-only and extra-only requirements. */
export function markerApplies(
  marker: string | undefined,
  ctx: IContext
): boolean {
  if (!marker) {
    return true;
  }
  if (/extra\s*==/.test(marker)) {
    return false;
  }
  const system = /platform_system\s*==\s*["'](\w+)["']/.exec(marker)?.[1];
  if (
    system &&
    system.toLowerCase() !== ctx.facts.platform.system.toLowerCase()
  ) {
    return false;
  }
  const machine = /platform_machine\s*==\s*["'](\w+)["']/.exec(marker)?.[1];
  return (
    !machine ||
    !ctx.facts.platform.machine ||
    machine === ctx.facts.platform.machine
  );
}

/** The nvidia-, cuda-toolkit and triton requirements that the installed packages do not meet. */
export function unmetRequirements(ctx: IContext, requires: string[]): IUnmet[] {
  const unmet: IUnmet[] = [];
  for (const line of requires) {
    const match = REQUIREMENT.exec(line);
    if (
      !match ||
      !/^(nvidia-|cuda-toolkit|triton)/i.test(match[1]) ||
      !markerApplies(match[3], ctx)
    ) {
      continue;
    }
    const name = normalizeName(match[1]);
    const specifier = match[2].replace(/\s+/g, '');
    const installed = ctx.facts.packages[name] ?? null;
    if (installed === null || (specifier && !satisfies(installed, specifier))) {
      unmet.push({ name, specifier, installed });
    }
  }
  return unmet;
}
