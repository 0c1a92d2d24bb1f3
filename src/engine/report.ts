/**
 * The report to paste into a bug report: the environment (like the frameworks' own environment
 * reports) plus the diagnosis, as Markdown or as JSON.
 */
import { IFacts } from './facts';
import { renderShell } from './fixes';
import { showFinding } from './shown';
import { ICompatTable, tableDate } from './table';
import { english, NONE, render, Translate } from './text';
import { IFinding } from './types';
import { cudaString, parseCuda } from './versions';

export interface IReport {
  facts: IFacts;
  findings: IFinding[];
  table: ICompatTable;
}

/** Facts as "label: value" rows, shared by the Markdown report and the sidebar. */
export function environmentRows(
  facts: IFacts,
  tr: Translate = english
): [string, string][] {
  const none = render(NONE, tr);
  const fw = facts.frameworks;
  const rows: [string, string][] = [
    ['Python', `${facts.python.version} (${facts.python.executable})`],
    [
      tr('Platform'),
      [
        facts.platform.system,
        facts.platform.release,
        facts.platform.machine,
        facts.platform.distro?.pretty_name,
        facts.platform.wsl ? 'WSL' : null,
        facts.platform.container
          ? tr('container: %1', facts.platform.container)
          : null,
        facts.platform.hosted
          ? tr(
              'hosted: %1',
              `${facts.platform.hosted.name} ${facts.platform.hosted.release ?? ''}`.trim()
            )
          : null
      ]
        .filter(Boolean)
        .join(', ')
    ],
    [
      'GPU',
      facts.gpus
        .map(
          g =>
            `${g.name} (CC ${g.compute_capability ?? '?'}${g.memory_mib ? `, ${g.memory_mib} MiB` : ''})`
        )
        .join(', ') || none
    ],
    [
      tr('Driver'),
      facts.driver.version
        ? `${facts.driver.version}, CUDA ≤ ${facts.driver.cuda_version ?? '?'} (${facts.driver.source ?? '?'})`
        : tr('not found')
    ],
    [
      tr('CUDA toolkits'),
      facts.cuda.toolkits
        .map(t => `${t.version ?? '?'} (${t.path})`)
        .join(', ') || none
    ],
    [
      tr('CUDA libraries'),
      facts.cuda.libraries
        .map(l => `${l.kind} ${l.version ?? '?'} (${l.source})`)
        .join(', ') || none
    ]
  ];
  if (fw.torch) {
    rows.push(['torch', `${fw.torch.version}, CUDA ${fw.torch.cuda ?? none}`]);
  }
  for (const name of ['torchvision', 'torchaudio'] as const) {
    const companion = fw[name];
    if (companion) {
      rows.push([name, companion.version]);
    }
  }
  if (fw.tensorflow) {
    rows.push([
      'tensorflow',
      `${fw.tensorflow.version}, CUDA ${fw.tensorflow.cuda ?? none}, cuDNN ${fw.tensorflow.cudnn ?? '?'}`
    ]);
  }
  if (fw.jax) {
    rows.push([
      'jax',
      `${fw.jax.version ?? '?'} / jaxlib ${fw.jax.jaxlib ?? '?'} ${Object.entries(
        fw.jax.plugins
      )
        .map(([p, v]) => `${p} ${v}`)
        .join(', ')}`.trim()
    ]);
  }
  if (fw.bitsandbytes) {
    rows.push([
      'bitsandbytes',
      `${fw.bitsandbytes.version}, CUDA ${
        (fw.bitsandbytes.cuda_versions ?? [])
          .map(v => parseCuda(v))
          .filter((c): c is [number, number] => !!c)
          .map(cudaString)
          .join(', ') || '?'
      }`
    ]);
  }
  return rows;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The report in the reader's language; finding ids stay English, for searching. */
export function markdownReport(
  { facts, findings, table }: IReport,
  tr: Translate = english
): string {
  const lines = [
    tr('## GPU compatibility report'),
    '',
    tr(
      'jupyterlab-gpu-compat, probe %1, compatibility table of %2',
      facts.probe_version,
      tableDate(table)
    ),
    '',
    '| | |',
    '| --- | --- |',
    ...environmentRows(facts, tr).map(
      ([label, value]) => `| ${cell(label)} | ${cell(value)} |`
    ),
    '',
    tr('### Findings (%1)', String(findings.length)),
    ''
  ];
  if (!findings.length) {
    lines.push(tr('No problems found.'));
  }
  for (const finding of findings) {
    const f = showFinding(finding, tr);
    lines.push(
      `- **${f.severity}** \`${f.id}\`: ${f.title}`,
      `  ${f.explanation}`
    );
    f.evidence.forEach(e => lines.push(`  - ${e.label}: ${e.value}`));
    for (const fixToShow of finding.fixes) {
      lines.push(
        tr('  - fix: %1', render(fixToShow.title, tr)),
        '    ```sh',
        ...renderShell(fixToShow, tr)
          .split('\n')
          .map(l => `    ${l}`),
        '    ```'
      );
    }
  }
  if (facts.errors.length) {
    lines.push(
      '',
      tr('### Probe steps that failed'),
      '',
      ...facts.errors.map(e => `- ${e.step}: ${e.message}`)
    );
  }
  return lines.join('\n') + '\n';
}

/** Findings as rendered text in the reader's language, beside their stable ids. */
export function jsonReport(
  { facts, findings, table }: IReport,
  tr: Translate = english
): string {
  const shown = findings.map(f => showFinding(f, tr));
  return (
    JSON.stringify(
      { table_date: tableDate(table), facts, findings: shown },
      null,
      2
    ) + '\n'
  );
}
