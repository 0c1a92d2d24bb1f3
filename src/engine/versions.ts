/**
 * Version helpers. Python package versions are PEP 440 (a real implementation:
 * @renovatebot/pep440), never compared as semver: `2.2.0+cu121`, `0.43.1.post1`, `2.16.0rc0`.
 * Driver, CUDA and compute-capability versions are numeric triples: semver (coerced).
 */
import * as pep440 from '@renovatebot/pep440';
import * as semver from 'semver';

/**
 * Answers of the PEP 440 library, kept: the rules ask the same few hundred questions (a table
 * release against a Python range, two releases) many times per diagnosis, and parsing dominates.
 */
const memo = new Map<string, boolean | number>();
function remembered<T extends boolean | number>(
  key: string,
  answer: () => T
): T {
  let value = memo.get(key) as T | undefined;
  if (value === undefined) {
    if (memo.size > 20000) {
      memo.clear();
    }
    value = answer();
    memo.set(key, value);
  }
  return value;
}

export function isValid(version: string | null | undefined): version is string {
  return (
    !!version &&
    remembered(`v|${version}`, () => pep440.valid(version) !== null)
  );
}

/** -1, 0, 1; versions that cannot be parsed compare as equal (callers check isValid first). */
export function compare(a: string, b: string): number {
  if (!isValid(a) || !isValid(b)) {
    return 0;
  }
  return remembered(`c|${a}|${b}`, () => Math.sign(pep440.compare(a, b)));
}

/** Does `version` satisfy a PEP 440 specifier set (`>=9.3,<10`)? Unparseable input: false. */
export function satisfies(version: string, specifier: string): boolean {
  return remembered(`s|${version}|${specifier}`, () => {
    try {
      return isValid(version) && pep440.satisfies(version, specifier);
    } catch {
      return false;
    }
  });
}

/** The public version without its local label: `2.4.0+cu121` -> `2.4.0`. */
export function publicVersion(version: string): string {
  return version.split('+')[0];
}

/** The local label: `2.4.0+cu121` -> `cu121`. */
export function localLabel(version: string): string | null {
  const plus = version.indexOf('+');
  return plus >= 0 ? version.slice(plus + 1) : null;
}

/**
 * The CUDA a local label names: `2.5.1+cu124` -> "12.4"; a label that is no CUDA build (`+cpu`,
 * `+rocm6.1`) -> null; no label -> undefined (the label says nothing).
 */
export function cudaOfLocalLabel(version: string): string | null | undefined {
  const label = localLabel(version);
  if (!label) {
    return undefined;
  }
  const cuda = /^cu\d+$/.test(label) ? parseCuda(label) : null;
  return cuda ? cudaString(cuda) : null;
}

/** `2.18.0` -> `2.18` (release segments only). */
export function majorMinor(version: string): string {
  const parsed = isValid(version) ? pep440.explain(version) : null;
  const release = parsed?.release ?? version.split('.').map(Number);
  return `${release[0]}.${release[1] ?? 0}`;
}

/** CUDA "12.4" -> [12, 4]; "124"/"cu124" -> [12, 4]; unknown -> null. */
export function parseCuda(
  text: string | null | undefined
): [number, number] | null {
  if (!text) {
    return null;
  }
  const dotted = /^(\d+)\.(\d+)/.exec(text);
  if (dotted) {
    return [Number(dotted[1]), Number(dotted[2])];
  }
  const compact = /^(?:cu|cuda)?(\d{2,3})$/.exec(text);
  if (compact) {
    const digits = compact[1];
    return [
      Number(digits.slice(0, digits.length - 1)),
      Number(digits.slice(-1))
    ];
  }
  const major = /^(\d+)$/.exec(text);
  return major ? [Number(major[1]), 0] : null;
}

export function cudaString(cuda: [number, number]): string {
  return `${cuda[0]}.${cuda[1]}`;
}

export function compareCuda(a: [number, number], b: [number, number]): number {
  return compareNumeric(cudaString(a), cudaString(b));
}

/**
 * Numeric triples (driver "535.104.05", CUDA "12.4", compute capability "8.6") compared as semver:
 * coerced (loosely: drivers write a zero-padded patch, ".05", which strict semver refuses), and CUDA
 * and compute capability have two parts.
 */
export function compareNumeric(a: string, b: string): number {
  return remembered(`n|${a}|${b}`, () => {
    const pa = semver.coerce(a, { loose: true });
    const pb = semver.coerce(b, { loose: true });
    return pa && pb ? semver.compare(pa, pb) : 0;
  });
}
