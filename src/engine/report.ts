/**
 * The report to paste into a bug report: the environment (like the frameworks' own environment
 * reports) plus the diagnosis, as Markdown or as JSON.
 */
import { IFacts } from './facts';
import { renderShell } from './fixes';
import { ICompatTable, tableDate } from './table';
import { IFinding } from './types';
import { cudaString, parseCuda } from './versions';

export interface IReport {
  facts: IFacts;
  findings: IFinding[];
  table: ICompatTable;
}

/** Facts as "label: value" rows, shared by the Markdown report and the sidebar. */
export function environmentRows(facts: IFacts): [string, string][] {
  const fw = facts.frameworks;
  const rows: [string, string][] = [
    ['Python', `${facts.python.version} (${facts.python.executable})`],
    [
      'Platform',
      [
        facts.platform.system,
        facts.platform.release,
        facts.platform.machine,
        facts.platform.distro?.pretty_name,
        facts.platform.wsl ? 'WSL' : null,
        facts.platform.container
          ? `container: ${facts.platform.container}`
          : null,
        facts.platform.hosted
          ? `hosted: ${facts.platform.hosted.name} ${facts.platform.hosted.release ?? ''}`.trim()
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
        .join(', ') || 'none'
    ],
    [
      'Driver',
      facts.driver.version
        ? `${facts.driver.version}, CUDA ≤ ${facts.driver.cuda_version ?? '?'} (${facts.driver.source ?? '?'})`
        : 'not found'
    ],
    [
      'CUDA toolkits',
      facts.cuda.toolkits
        .map(t => `${t.version ?? '?'} (${t.path})`)
        .join(', ') || 'none'
    ],
    [
      'CUDA libraries',
      facts.cuda.libraries
        .map(l => `${l.kind} ${l.version ?? '?'} (${l.source})`)
        .join(', ') || 'none'
    ]
  ];
  if (fw.torch) {
    rows.push([
      'torch',
      `${fw.torch.version}, CUDA ${fw.torch.cuda ?? 'none'}`
    ]);
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
      `${fw.tensorflow.version}, CUDA ${fw.tensorflow.cuda ?? 'none'}, cuDNN ${fw.tensorflow.cudnn ?? '?'}`
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

export function markdownReport({ facts, findings, table }: IReport): string {
  const lines = [
    '## GPU compatibility report',
    '',
    `jupyterlab-gpu-compat, probe ${facts.probe_version}, compatibility table of ${tableDate(table)}`,
    '',
    '| | |',
    '| --- | --- |',
    ...environmentRows(facts).map(
      ([label, value]) => `| ${cell(label)} | ${cell(value)} |`
    ),
    '',
    `### Findings (${findings.length})`,
    ''
  ];
  if (!findings.length) {
    lines.push('No problems found.');
  }
  for (const f of findings) {
    lines.push(
      `- **${f.severity}** \`${f.id}\`: ${f.title}`,
      `  ${f.explanation}`
    );
    f.evidence.forEach(e => lines.push(`  - ${e.label}: ${e.value}`));
    for (const fixToShow of f.fixes) {
      lines.push(
        `  - fix: ${fixToShow.title}`,
        '    ```sh',
        ...renderShell(fixToShow)
          .split('\n')
          .map(l => `    ${l}`),
        '    ```'
      );
    }
  }
  if (facts.errors.length) {
    lines.push(
      '',
      '### Probe steps that failed',
      '',
      ...facts.errors.map(e => `- ${e.step}: ${e.message}`)
    );
  }
  return lines.join('\n') + '\n';
}

export function jsonReport({ facts, findings, table }: IReport): string {
  return (
    JSON.stringify({ table_date: tableDate(table), facts, findings }, null, 2) +
    '\n'
  );
}
