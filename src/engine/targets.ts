/**
 * A hosted runtime as the facts of a kernel, to check a notebook's install cells against the runtime
 * it will run on (`preflight --notebook nb.ipynb --target colab@2025-07`), where no such kernel is at
 * hand: its Python and preinstalled frameworks from the table's runtime history, its default GPU
 * and host driver where a source states them. A static check: the runtime's other packages are not
 * known here.
 */
import { IFacts, Parsed, unknownFacts } from './facts';
import { ICompatTable } from './table';
import { cudaOfLocalLabel } from './versions';

/** `colab` (the newest the table knows) or `colab@YYYY-MM` (the runtime of that month). */
export function targetFacts(
  table: ICompatTable,
  target: string
): Parsed<IFacts> {
  const m = /^([a-z]+)(?:@(\d{4})-(\d{2}))?$/.exec(target.trim());
  const subject = table['hosted-runtimes'];
  const rows = m
    ? subject.rows
        .filter(r => r.runtime === m[1])
        .sort((a, b) => a.date.localeCompare(b.date))
    : [];
  if (!m || !rows.length) {
    const known = [...new Set(subject.rows.map(r => r.runtime))].join(', ');
    return {
      ok: false,
      error: `unknown target ${JSON.stringify(target)}: give RUNTIME or RUNTIME@YYYY-MM (runtimes: ${known})`
    };
  }
  const until = m[2] ? `${m[2]}-${m[3]}-31` : '9999-12-31';
  const row = rows.filter(r => r.date <= until).pop();
  if (!row) {
    return {
      ok: false,
      error: `the table's ${m[1]} history starts in ${rows[0].date.slice(0, 7)}`
    };
  }
  const host = (subject.hosts ?? [])
    .filter(h => h.runtime === row.runtime && h.since <= row.date)
    .pop();
  const packages: Record<string, string> = {};
  for (const [name, version] of [
    ['tensorflow', row.tensorflow],
    ['torch', row.torch],
    ['jax', row.jax],
    ['nvidia-cudnn-cu12', row.cudnn_pip],
    ['nvidia-cuda-runtime-cu12', row.cuda_runtime_pip]
  ] as const) {
    if (version) {
      packages[name] = version;
    }
  }
  return {
    ok: true,
    value: {
      ...unknownFacts(),
      probe_version: `target ${row.runtime} of ${row.date}`,
      partial: true,
      scans: { gpus: !!host },
      python: { version: row.python ?? '', executable: '' },
      platform: {
        system: 'Linux',
        hosted: {
          name: row.runtime,
          release: `release-${row.runtime}_${row.date.replace(/-/g, '')}`
        }
      },
      gpus: host
        ? [
            {
              index: 0,
              name: host.gpu,
              compute_capability: host.compute_capability
            }
          ]
        : [],
      driver: {
        version: host?.driver ?? null,
        cuda_version: host?.driver_cuda ?? null
      },
      packages,
      frameworks: {
        imported: {},
        ...(row.torch
          ? {
              torch: {
                version: row.torch,
                cuda: cudaOfLocalLabel(row.torch) ?? null
              }
            }
          : {}),
        ...(row.tensorflow
          ? {
              tensorflow: {
                version: row.tensorflow,
                cuda: null,
                cudnn: null,
                is_cuda_build: true
              }
            }
          : {})
      }
    }
  };
}
