/**
 * What the engine produces: findings with stable ids, evidence, fixes and sources. Their words are
 * messages (text.ts), rendered in the reader's language where they are shown (shown.ts).
 */
import { Arg, IText } from './text';

export type Severity = 'error' | 'warning' | 'info';

/** The stable finding ids: a public contract, like a linter's rule codes (see README). */
export const FINDING_IDS = [
  'no-gpu-visible',
  'container-no-gpu',
  'driver-too-old',
  'tf-cuda-libs-missing',
  'tf-downgrade',
  'tf-windows-native-gpu',
  'tensorrt-missing',
  'duplicate-cuda-registration',
  'torch-cpu-build',
  'torch-cuda-deps-missing',
  'torch-companion-mismatch',
  'cudnn-conflict',
  'bnb-missing-binary',
  'compute-capability-unsupported',
  'jax-cuda-mismatch',
  'multiple-cuda-toolkits',
  'restart-needed',
  'unknown-version',
  'pip-downgrade',
  'pip-cpu-torch',
  'pip-unquoted-specifier',
  'pip-breaks-cuda-pins',
  'pip-restart-needed',
  'pip-no-wheel',
  'driver-not-responding',
  'library-shadowed',
  'pip-resolver-conflict'
] as const;

export type FindingId = (typeof FINDING_IDS)[number];

/** A fact the finding rests on, shown as "label: value". */
export interface IEvidence {
  label: Arg;
  value: Arg;
}

/** A shell command of a fix: rendered as `%pip …` / `!pip …` in a notebook, plain in a terminal. */
export type IFixStep =
  /** `pip` arguments (already safely quoted), a shell command or Python code: code, never translated. */
  | { kind: 'pip' | 'shell' | 'python'; text: string }
  /** A restart, or a step on the host: words for the reader. */
  | { kind: 'restart' | 'host'; text: IText };

export interface IFix {
  /** What the fix does, in a few words ("Go back to TensorFlow 2.18.0"). */
  title: IText;
  steps: IFixStep[];
  /** Only pip can tell whether it works: offered once a dry run of it resolves cleanly (resolved.ts). */
  confirm?: boolean;
}

export interface IFinding {
  id: FindingId;
  severity: Severity;
  title: IText;
  explanation: IText;
  evidence: IEvidence[];
  fixes: IFix[];
  /** Python that shows whether the fix worked. */
  verify?: string;
  /** URLs of the table rows the finding used. */
  sources: string[];
  /** The fix only takes effect after a kernel restart. */
  restart?: boolean;
  /** For pip-cell findings: the 1-based line and the offsets (`to` exclusive) in the cell's text. */
  range?: { line: number; from: number; to: number };
}

export const SEVERITY_ORDER: Record<Severity, number> = {
  error: 0,
  warning: 1,
  info: 2
};

/** Errors first; then by position in the cell (pip findings), then by id. */
export function sortFindings(findings: IFinding[]): IFinding[] {
  return [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.range?.from ?? 0) - (b.range?.from ?? 0) ||
      a.id.localeCompare(b.id)
  );
}
