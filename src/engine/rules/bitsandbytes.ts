/** bitsandbytes: bnb-missing-binary. */
import { IContext } from '../context';
import { fix, pip, RESTART, VERIFY } from '../fixes';
import { NONE, sentences, t } from '../text';
import { IFinding } from '../types';
import {
  compare,
  compareCuda,
  cudaString,
  parseCuda,
  publicVersion
} from '../versions';

/**
 * From 0.50, bitsandbytes loads the highest binary of the same CUDA major at or below the runtime,
 * else the lowest above it, never across majors (cextension.get_cuda_bnb_library_path); before,
 * only the exact one.
 */
function fallbackLoads(
  version: string,
  cuda: [number, number],
  shipped: string[]
): boolean {
  return (
    compare(publicVersion(version), '0.50.0') >= 0 &&
    shipped.some(v => parseCuda(v)?.[0] === cuda[0])
  );
}

/** The CUDA bitsandbytes will look for: BNB_CUDA_VERSION, the one torch was built for, else the newest runtime found. */
function targetCuda(
  ctx: IContext
): { cuda: [number, number]; from: string } | null {
  const override = parseCuda(String(ctx.facts.env.BNB_CUDA_VERSION ?? ''));
  if (override) {
    return { cuda: override, from: 'BNB_CUDA_VERSION' };
  }
  const torch = ctx.facts.frameworks.torch;
  const torchCuda = parseCuda(torch?.cuda);
  if (torchCuda) {
    return { cuda: torchCuda, from: `torch ${torch!.version}` };
  }
  const runtimes = ctx.facts.cuda.libraries
    .filter(l => l.kind === 'cudart')
    .map(l => ({ cuda: parseCuda(l.version), path: l.path }))
    .filter(
      (r): r is { cuda: [number, number]; path: string } =>
        !!r.cuda && r.cuda[1] !== undefined
    );
  runtimes.sort((a, b) => compareCuda(b.cuda, a.cuda));
  return runtimes[0]
    ? { cuda: runtimes[0].cuda, from: runtimes[0].path }
    : null;
}

export function bnbMissingBinary(ctx: IContext): IFinding[] {
  const bnb = ctx.facts.frameworks.bitsandbytes;
  const target = targetCuda(ctx);
  if (!bnb || !target || ctx.os !== 'linux') {
    return [];
  }
  const wanted = cudaString(target.cuda);
  const compact = `${target.cuda[0]}${target.cuda[1]}`;
  const rows = ctx.table.bitsandbytes.rows;
  const row = rows.find(r => r.version === publicVersion(bnb.version));
  // What the installed package ships, from its files; the table when the files are unknown.
  const shipped = bnb.binaries.length
    ? (bnb.cuda_versions ?? []).map(v => cudaString(parseCuda(v)!))
    : (row?.cuda ?? null);
  if (
    !shipped ||
    shipped.includes(wanted) ||
    fallbackLoads(bnb.version, target.cuda, shipped)
  ) {
    return [];
  }
  const first = rows
    .filter(r => r.cuda.includes(wanted))
    .sort((a, b) => compare(a.version, b.version))[0];
  return [
    {
      id: 'bnb-missing-binary',
      severity: 'error',
      title: t(
        'bitsandbytes %1 has no binary for CUDA %2',
        bnb.version,
        wanted
      ),
      explanation: sentences(
        t(
          'bitsandbytes loads libbitsandbytes_cuda%1.so for CUDA %2 (from %3), but %4 ships binaries for CUDA %5.',
          compact,
          wanted,
          target.from,
          bnb.version,
          shipped.join(', ') || NONE
        ),
        t(
          'Expect "CUDA SETUP: Required library version not found: libbitsandbytes_cuda%1.so" and a fallback to the CPU.',
          compact
        ),
        first &&
          t(
            'bitsandbytes %1 is the first release with a CUDA %2 binary.',
            first.version,
            wanted
          )
      ),
      evidence: [
        { label: 'bitsandbytes', value: bnb.version },
        {
          label: t('binaries shipped'),
          value:
            bnb.binaries.join(', ') ||
            t('per the table: CUDA %1', shipped.join(', '))
        },
        { label: t('CUDA in use'), value: t('%1 (%2)', wanted, target.from) }
      ],
      fixes: first
        ? [
            fix(
              t('Upgrade bitsandbytes to %1 or newer', first.version),
              pip('-U', `bitsandbytes>=${first.version}`),
              RESTART
            )
          ]
        : [],
      verify: VERIFY.bitsandbytes,
      sources: first ? [first.source] : row ? [row.source] : [],
      restart: true
    }
  ];
}
