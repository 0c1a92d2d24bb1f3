/** A finding in the reader's language: what the panel, notifications, reports and the CLI show. */
import { english, render, Translate } from './text';
import { FindingId, IFinding, IFix, Severity } from './types';

export interface IShownFix {
  title: string;
  steps: { kind: IFix['steps'][number]['kind']; text: string }[];
}

export interface IShownFinding {
  id: FindingId;
  severity: Severity;
  title: string;
  explanation: string;
  evidence: { label: string; value: string }[];
  fixes: IShownFix[];
  verify?: string;
  sources: string[];
  restart?: boolean;
  range?: IFinding['range'];
}

/** A severity as a word in the reader's language (the panel and the report show it in capitals). */
export function severityWord(
  severity: Severity,
  tr: Translate = english
): string {
  return severity === 'error'
    ? tr('Error')
    : severity === 'warning'
      ? tr('Warning')
      : tr('Info');
}

export function showFix(fix: IFix, tr: Translate = english): IShownFix {
  return {
    title: render(fix.title, tr),
    steps: fix.steps.map(step => ({
      kind: step.kind,
      text: render(step.text, tr)
    }))
  };
}

export function showFinding(
  finding: IFinding,
  tr: Translate = english
): IShownFinding {
  return {
    ...finding,
    title: render(finding.title, tr),
    explanation: render(finding.explanation, tr),
    evidence: finding.evidence.map(e => ({
      label: render(e.label, tr),
      value: render(e.value, tr)
    })),
    fixes: finding.fixes.map(f => showFix(f, tr))
  };
}
