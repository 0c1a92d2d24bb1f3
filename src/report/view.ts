/**
 * The diagnosis as a notebook output: findings with their fix cells and copy buttons, and the
 * environment. Plain DOM (no React, no @jupyterlab/*), so one view serves both the MIME renderer
 * of the JupyterLab extension and the self-contained script of frontends that cannot load it.
 */
import { diagnose } from '../engine/diagnose';
import { parseCell } from '../engine/pip/parse';
import { PipAnswer, preflightWithAnswers } from '../engine/resolved';
import { IFacts, parseFacts } from '../engine/facts';
import { renderCell } from '../engine/fixes';
import { environmentRows } from '../engine/report';
import { severityWord, showFinding } from '../engine/shown';
import { bundledTable, ICompatTable, tableDate } from '../engine/table';
import {
  catalogueLanguage,
  catalogueTranslator,
  english,
  Translate
} from '../engine/text';
import { IFinding } from '../engine/types';
import { REPORT_CSS } from './style';

/** The MIME type of the payload the Python package displays. */
export const REPORT_MIME = 'application/vnd.jupyter.gpu-compat+json';

/** What `jupyterlab_gpu_compat.check()` and the install-cell hook display. */
export interface IReportPayload {
  /** The probe's facts. */
  facts: unknown;
  /** Set by the install-cell hook: check this cell's install commands instead of the environment. */
  cell?: string;
  /** pip's answers for the cell's install commands (the hook's dry runs), by their arguments. */
  resolutions?: { tool?: string; args: string[]; answer: PipAnswer }[];
  /** The reader's language where the user set one (else the page's); e.g. "zh_CN". */
  lang?: string | null;
  /** The engine's catalogues by language, in JupyterLab's JSON format (English needs none). */
  catalogues?: Record<string, Record<string, unknown>>;
}

/** The payload's language: its own setting, else the page's; English where no catalogue has it. */
export function payloadTranslator(
  payload: IReportPayload,
  pageLanguages: readonly string[] = []
): Translate {
  const catalogues = payload?.catalogues ?? {};
  const available = Object.keys(catalogues);
  const wanted = payload?.lang ? [payload.lang] : pageLanguages;
  for (const locale of wanted) {
    const lang = catalogueLanguage(locale, available);
    if (lang) {
      return catalogueTranslator(catalogues[lang]);
    }
  }
  return english;
}

export interface IReportResult {
  ok: boolean;
  /** An error message when the payload is not usable. */
  error?: string;
  /** The payload's facts, once they passed their schema. */
  facts?: IFacts;
  findings: IFinding[];
}

/** The findings of a payload: the diagnosis, or the preflight of the cell it carries. */
export function findingsOf(
  payload: IReportPayload,
  table: ICompatTable = bundledTable()
): IReportResult {
  const parsed = parseFacts(payload?.facts);
  if (!parsed.ok) {
    return { ok: false, error: parsed.error, findings: [] };
  }
  const answers = payload.resolutions ?? [];
  const findings =
    typeof payload.cell === 'string'
      ? preflightWithAnswers(
          parsed.value,
          table,
          parseCell(payload.cell),
          // A resolution belongs to the command with the same arguments after `install`.
          command =>
            answers.find(
              r =>
                (r.tool ?? 'pip') === command.tool &&
                JSON.stringify(r.args) ===
                  JSON.stringify(command.argv?.slice(1))
            )?.answer
        ).findings
      : diagnose(parsed.value, table);
  return { ok: true, facts: parsed.value, findings };
}

/** Render a payload into `host` (emptied first). Returns the findings shown. */
export function renderReport(
  host: HTMLElement,
  payload: IReportPayload,
  table: ICompatTable = bundledTable(),
  tr: Translate = payloadTranslator(payload, pageLanguages(host))
): IReportResult {
  injectStyle(host.ownerDocument);
  host.replaceChildren();
  host.classList.add('jp-GpuCompatReport');
  const result = findingsOf(payload, table);
  if (!result.ok) {
    host.append(el('p', 'jp-GpuCompatReport-error', result.error ?? ''));
    return result;
  }
  const checkingCell = typeof payload.cell === 'string';
  if (checkingCell && !result.findings.length) {
    // Nothing to say about this install command: stay out of the way.
    host.hidden = true;
    return result;
  }
  const header = el('div', 'jp-GpuCompatReport-header');
  header.append(
    el(
      'strong',
      '',
      checkingCell
        ? tr('GPU compatibility: this install')
        : tr('GPU compatibility')
    ),
    ' ',
    el('span', 'jp-GpuCompatReport-summary', summary(result.findings, tr))
  );
  host.append(header);
  const list = el('ul', 'jp-GpuCompatReport-findings');
  result.findings.forEach(f => list.append(findingView(f, tr)));
  host.append(list);
  if (!checkingCell && result.facts) {
    const details = el('details', 'jp-GpuCompatReport-environment');
    details.append(el('summary', '', tr('Environment')));
    const rows = el('table');
    for (const [label, value] of environmentRows(result.facts, tr)) {
      const row = el('tr');
      row.append(el('th', '', label), el('td', '', value));
      rows.append(row);
    }
    details.append(rows);
    host.append(
      details,
      el(
        'p',
        'jp-GpuCompatReport-footer',
        tr(
          'Probe %1, compatibility table of %2',
          result.facts.probe_version,
          tableDate(table)
        )
      )
    );
  }
  return result;
}

/** The findings as text (the output's text/plain part, where scripts do not run). */
export function plainReport(
  result: IReportResult,
  checkingCell: boolean,
  tr: Translate = english
): string {
  if (!result.ok) {
    return result.error ?? '';
  }
  if (!result.findings.length) {
    return checkingCell ? '' : tr('GPU compatibility: no problems found.');
  }
  const lines = [tr('GPU compatibility: %1', summary(result.findings, tr))];
  for (const f of result.findings.map(finding => showFinding(finding, tr))) {
    lines.push(
      `- ${severityWord(f.severity, tr).toLowerCase()} [${f.id}] ${f.title}`
    );
    for (const fix of f.fixes.slice(0, 1)) {
      const command = fix.steps.find(step => step.kind === 'pip');
      lines.push(
        command
          ? tr('  fix: %1: %2', fix.title, `%pip ${command.text}`)
          : tr('  fix: %1', fix.title)
      );
    }
  }
  return lines.join('\n');
}

/** The page's languages: the document's own, then the browser's. */
function pageLanguages(host: HTMLElement): string[] {
  const doc = host.ownerDocument;
  return [
    doc?.documentElement?.lang,
    ...(doc?.defaultView?.navigator?.languages ?? [])
  ].filter((l): l is string => !!l);
}

export function summary(findings: IFinding[], tr: Translate = english): string {
  const count = (severity: string) =>
    findings.filter(f => f.severity === severity).length;
  const errors = count('error');
  const warnings = count('warning');
  if (!errors && !warnings) {
    return tr('no problems found');
  }
  // Counts as "label: n" (the panel's plural forms need JupyterLab's translator, which report.js lacks).
  return [
    errors ? tr('problems: %1', String(errors)) : '',
    warnings ? tr('warnings: %1', String(warnings)) : ''
  ]
    .filter(Boolean)
    .join(', ');
}

function findingView(finding: IFinding, tr: Translate): HTMLElement {
  const f = showFinding(finding, tr);
  const item = el('li', `jp-GpuCompatReport-finding jp-mod-${f.severity}`);
  item.dataset.findingId = f.id;
  const title = el('div', 'jp-GpuCompatReport-title');
  title.append(
    el('span', 'jp-GpuCompatReport-severity', severityWord(f.severity, tr)),
    ' ',
    f.title
  );
  item.append(title, el('p', '', f.explanation));
  if (f.evidence.length) {
    const evidence = el('dl');
    for (const e of f.evidence) {
      evidence.append(el('dt', '', e.label), el('dd', '', e.value));
    }
    item.append(evidence);
  }
  f.fixes.forEach((fix, i) =>
    item.append(
      codeBlock(fix.title, renderCell(finding.fixes[i], '%pip', tr), tr)
    )
  );
  if (f.verify) {
    item.append(codeBlock(tr('Check that the fix worked'), f.verify, tr));
  }
  if (f.sources.length) {
    const sources = el('p', 'jp-GpuCompatReport-sources', tr('Sources: '));
    f.sources.forEach((url, i) => {
      const link = el('a', '', new URL(url).hostname) as HTMLAnchorElement;
      link.href = url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      sources.append(i ? ', ' : '', link);
    });
    item.append(sources);
  }
  return item;
}

/** A cell's text with a copy button (fix cells are shown, never run). */
function codeBlock(label: string, text: string, tr: Translate): HTMLElement {
  const block = el('div', 'jp-GpuCompatReport-code');
  const button = el('button', '', tr('Copy')) as HTMLButtonElement;
  button.type = 'button';
  button.title = tr('Copy: %1', label);
  button.addEventListener('click', () => {
    void copyText(block.ownerDocument, text).then(done => {
      button.textContent = done ? tr('Copied') : tr('Select and copy');
    });
  });
  const head = el('div', 'jp-GpuCompatReport-codeHead');
  head.append(el('span', '', label), button);
  block.append(head, el('pre', '', text));
  return block;
}

/** The clipboard API where the page may use it; else the selection (sandboxed output frames). */
async function copyText(doc: Document, text: string): Promise<boolean> {
  try {
    await doc.defaultView!.navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = doc.createElement('textarea');
    area.value = text;
    area.style.position = 'fixed';
    area.style.opacity = '0';
    doc.body.append(area);
    area.select();
    const done = doc.execCommand('copy');
    area.remove();
    return done;
  }
}

function injectStyle(doc: Document): void {
  if (!doc.getElementById('jp-GpuCompatReport-style')) {
    const style = doc.createElement('style');
    style.id = 'jp-GpuCompatReport-style';
    style.textContent = REPORT_CSS;
    doc.head.append(style);
  }
}

function el(tag: string, className = '', text = ''): HTMLElement {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text) {
    node.textContent = text;
  }
  return node;
}
