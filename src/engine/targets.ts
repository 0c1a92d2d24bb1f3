/**
 * A hosted runtime as the facts of a kernel, to check a notebook's install cells against the runtime
 * it will run on (`preflight --notebook nb.ipynb --target colab@2025-07`), where no such kernel is at
 * hand: its Python and preinstalled packages — the runtime's whole package list where the runtime
 * publishes one (src/compat/hosted-packages.json), else the frameworks of the table's runtime
 * history — and its default GPU and host driver where a source states them.
 */
import { IFacts, Parsed, unknownFacts } from './facts';
import { ICompatTable, IHostedRow } from './table';
import { cudaOfLocalLabel } from './versions';

/** One published package list of a runtime (pip freeze of its GPU image). */
export interface IRuntimeSnapshot {
  runtime: string;
  date: string;
  /** The pinnable runtime version this list is (Colab's "2025.07"), else null. */
  runtime_version: string | null;
  python: string | null;
  source: string;
  packages: Record<string, string>;
}

export interface IRuntimePackages {
  snapshots: IRuntimeSnapshot[];
}

/**
 * `colab` (the newest), `colab@YYYY-MM` (the runtime of that month) or `colab@YYYY.MM` (a pinnable
 * runtime version); `/GPU` picks one of the runtime's GPU pools (`kaggle@2026-06/p100`), else the
 * newest a source states.
 */
export function targetFacts(
  table: ICompatTable,
  target: string,
  lists: IRuntimePackages | null = null
): Parsed<IFacts> {
  const m = /^([a-z]+)(?:@(\d{4})([-.])(\d{2}))?(?:\/([\w.-]+))?$/.exec(
    target.trim()
  );
  const subject = table['hosted-runtimes'];
  const byDate = <T extends { runtime: string; date: string }>(items: T[]) =>
    items
      .filter(r => r.runtime === m?.[1])
      .sort((a, b) => a.date.localeCompare(b.date));
  const rows = m ? byDate(subject.rows) : [];
  const snapshots = m ? byDate(lists?.snapshots ?? []) : [];
  if (!m || !rows.length) {
    const known = [...new Set(subject.rows.map(r => r.runtime))].join(', ');
    return {
      ok: false,
      error: `unknown target ${JSON.stringify(target)}: give RUNTIME, RUNTIME@YYYY-MM or RUNTIME@YYYY.MM, optionally /GPU (runtimes: ${known})`
    };
  }
  let snapshot: IRuntimeSnapshot | undefined;
  let until = m[2] ? `${m[2]}-${m[4]}-31` : '9999-12-31';
  if (m[3] === '.') {
    const pinned = `${m[2]}.${m[4]}`;
    snapshot = snapshots.find(s => s.runtime_version === pinned);
    if (!snapshot) {
      const versions = snapshots
        .map(s => s.runtime_version)
        .filter(Boolean)
        .join(', ');
      return {
        ok: false,
        error: `${m[1]} has no pinnable runtime version ${pinned} in the table (known: ${versions || 'none'})`
      };
    }
    until = snapshot.date;
  }
  const row = rows.filter(r => r.date <= until).pop();
  if (!row) {
    return {
      ok: false,
      error: `the table's ${m[1]} history starts in ${rows[0].date.slice(0, 7)}`
    };
  }
  // The runtime's own list where one of the row's month or later is published.
  snapshot ??= snapshots
    .filter(s => s.date <= until && s.date.slice(0, 7) >= row.date.slice(0, 7))
    .pop();
  const date = snapshot?.date ?? row.date;
  const squeeze = (name: string) =>
    name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const pools = (subject.hosts ?? []).filter(
    h => h.runtime === row.runtime && h.since <= date
  );
  const host = pools
    .filter(h => !m[5] || squeeze(h.gpu).includes(squeeze(m[5])))
    .pop();
  if (m[5] && !host) {
    const gpus = [...new Set(pools.map(h => h.gpu))].join(', ');
    return {
      ok: false,
      error: `no ${m[5]} among the GPUs the table states for ${m[1]} by ${date} (${gpus || 'none'})`
    };
  }
  const packages = snapshot?.packages ?? rowPackages(row);
  const python = snapshot?.python ?? row.python ?? '';
  return {
    ok: true,
    value: {
      ...unknownFacts(),
      probe_version: snapshot
        ? `target ${row.runtime}${snapshot.runtime_version ? ` ${snapshot.runtime_version}` : ''} of ${date} (its package list)`
        : `target ${row.runtime} of ${date}`,
      partial: true,
      target,
      scans: { gpus: !!host },
      python: { version: python, executable: '' },
      platform: {
        system: 'Linux',
        hosted: {
          name: row.runtime,
          release: `release-${row.runtime}_${date.replace(/-/g, '')}`
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
      frameworks: frameworksOf(table, packages)
    }
  };
}

export interface ITargetChoice {
  target: string;
  /** The date of the list or row it stands for. */
  date: string;
  /** The GPU pool it picks, where the runtime has several. */
  gpu?: string;
}

/**
 * What a notebook can be checked for: each runtime's newest (and each of its GPU pools, where a
 * source states several), then the pinnable runtime versions, newest first.
 */
export function targetChoices(
  table: ICompatTable,
  lists: IRuntimePackages | null
): ITargetChoice[] {
  const subject = table['hosted-runtimes'];
  const newest = new Map<string, string>();
  for (const item of [...subject.rows, ...(lists?.snapshots ?? [])]) {
    if (item.date > (newest.get(item.runtime) ?? '')) {
      newest.set(item.runtime, item.date);
    }
  }
  const choices: ITargetChoice[] = [];
  for (const [runtime, date] of newest) {
    choices.push({ target: runtime, date });
    const gpus = [
      ...new Set(
        (subject.hosts ?? []).filter(h => h.runtime === runtime).map(h => h.gpu)
      )
    ];
    for (const gpu of gpus.length > 1 ? gpus : []) {
      // "Tesla P100-PCIE-16GB" -> p100: the model name, as a /GPU suffix reads it.
      const model = gpu.split(/[\s-]+/).find(w => /^[A-Z]+\d+[A-Z]*$/.test(w));
      if (model) {
        choices.push({
          target: `${runtime}/${model.toLowerCase()}`,
          date,
          gpu
        });
      }
    }
  }
  const pinned = (lists?.snapshots ?? [])
    .filter(s => s.runtime_version)
    .sort((a, b) => b.date.localeCompare(a.date))
    .map(s => ({ target: `${s.runtime}@${s.runtime_version}`, date: s.date }));
  return [...choices, ...pinned];
}

/** The packages a history row names, where the runtime publishes no list. */
function rowPackages(row: IHostedRow): Record<string, string> {
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
  return packages;
}

/** The frameworks as the probe would report them from these installed packages. */
function frameworksOf(
  table: ICompatTable,
  packages: Record<string, string>
): IFacts['frameworks'] {
  const frameworks: IFacts['frameworks'] = { imported: {} };
  const torch = packages.torch;
  if (torch) {
    // No local label on a GPU runtime: PyPI's Linux wheel (its default CUDA), or the runtime's own
    // CUDA build (Kaggle built torch from source until 2024-11); either way not a CPU build.
    const cuda =
      cudaOfLocalLabel(torch) ??
      table.torch.rows.find(r => r.version === torch)?.default_cuda ??
      null;
    frameworks.torch = { version: torch, cuda };
    for (const name of ['torchvision', 'torchaudio'] as const) {
      const version = packages[name];
      if (version) {
        // A companion without a local label says nothing of its CUDA.
        const cuda = cudaOfLocalLabel(version);
        frameworks[name] = cuda ? { version, cuda } : { version };
      }
    }
  }
  if (packages.tensorflow) {
    frameworks.tensorflow = {
      version: packages.tensorflow,
      cuda: null,
      cudnn: null,
      is_cuda_build: true
    };
  }
  if (packages.jax || packages.jaxlib) {
    frameworks.jax = {
      version: packages.jax ?? null,
      jaxlib: packages.jaxlib ?? null,
      plugins: Object.fromEntries(
        Object.entries(packages).filter(([name]) =>
          /^jax-cuda\d+-(plugin|pjrt)$/.test(name)
        )
      )
    };
  }
  return frameworks;
}
