/** What a PEP 440 specifier set would do to an installed version: keep it, or move it down or up. */
import { compare, satisfies } from './versions';

export type Direction = 'keep' | 'lower' | 'higher' | 'other';

const CLAUSE = /^(~=|===|==|!=|<=|>=|<|>)(.+)$/;

interface IClause {
  op: string;
  version: string;
}

export function clauses(specifier: string): IClause[] {
  return specifier
    .split(',')
    .map(part => CLAUSE.exec(part.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(m => ({ op: m[1], version: m[2].trim() }));
}

/** The one version an `==X` specifier names (no wildcard), or null. */
export function exactVersion(specifier: string): string | null {
  const exact = clauses(specifier).find(
    c => (c.op === '==' || c.op === '===') && !c.version.includes('*')
  );
  return exact?.version ?? null;
}

/**
 * Where pip would move `installed` to satisfy `specifier`: 'lower' when a clause caps it below the
 * installed version (`==2.15.1`, `<2.16`, `~=2.15.0`), 'higher' when a clause needs more.
 */
export function direction(installed: string, specifier: string): Direction {
  if (!specifier || satisfies(installed, specifier)) {
    return 'keep';
  }
  for (const { op, version } of clauses(specifier)) {
    const bound = version.replace(/\.\*$/, '');
    if (satisfies(installed, `${op}${version}`)) {
      continue;
    }
    if (op === '<' || op === '<=') {
      return 'lower';
    }
    if (op === '>' || op === '>=') {
      return 'higher';
    }
    if (op === '==' || op === '===' || op === '~=') {
      return compare(bound, installed) < 0 ? 'lower' : 'higher';
    }
  }
  return 'other';
}

/**
 * Can one version satisfy both specifier sets? Decided on the versions the sets name (exact
 * pins and lower bounds): enough for the nvidia-* pins frameworks write, and never a false alarm
 * when either set is empty.
 */
export function overlap(a: string, b: string): boolean {
  if (!a || !b) {
    return true;
  }
  const candidates = [...clauses(a), ...clauses(b)]
    .filter(c => ['==', '===', '>=', '~='].includes(c.op))
    .map(c => c.version)
    .filter(v => !v.includes('*'));
  return candidates.some(v => satisfies(v, a) && satisfies(v, b));
}
