/** The kernel and the table itself: restart-needed, unknown-version, cudnn-conflict. */
import { IContext } from '../context';
import { RESTART, fix } from '../fixes';
import { Arg, listed, sentences, t } from '../text';
import { IFinding } from '../types';
import {
  compare,
  isValid,
  majorMinor,
  publicVersion,
  satisfies
} from '../versions';
import { normalizeName } from './requirements';

/** A framework imported in this kernel at one version while another is now installed. */
export function restartNeeded(ctx: IContext): IFinding[] {
  const stale = Object.entries(ctx.facts.frameworks.imported).filter(
    ([module, version]) => {
      const installed = ctx.facts.packages[normalizeName(module)];
      return (
        version &&
        installed &&
        publicVersion(version) !== publicVersion(installed)
      );
    }
  );
  if (!stale.length) {
    return [];
  }
  return [
    {
      id: 'restart-needed',
      severity: 'warning',
      title:
        stale.length > 1
          ? t(
              'Restart the kernel: %1 changed after they were imported',
              stale.map(([m]) => m).join(', ')
            )
          : t(
              'Restart the kernel: %1 changed after it was imported',
              stale.map(([m]) => m).join(', ')
            ),
      explanation: sentences(
        t(
          'This kernel still runs %1, but %2 is installed now.',
          stale.map(([m, v]) => `${m} ${v}`).join(', '),
          stale
            .map(([m]) => `${m} ${ctx.facts.packages[normalizeName(m)]}`)
            .join(', ')
        ),
        t('A package cannot be re-imported in a running Python process.')
      ),
      evidence: stale.map(([m, v]) => ({
        label: m,
        value: t(
          'imported %1, installed %2',
          String(v),
          ctx.facts.packages[normalizeName(m)]
        )
      })),
      fixes: [fix(t('Restart the kernel'), RESTART)],
      sources: [],
      restart: true
    }
  ];
}

/** Versions newer than the table knows: reported, never judged. */
export function unknownVersions(ctx: IContext): IFinding[] {
  const newest = (versions: (string | null)[]) =>
    versions.filter(isValid).sort(compare).reverse()[0];
  const checks = (['torch', 'tensorflow', 'jax', 'bitsandbytes'] as const).map(
    (
      name
    ): [string, string | null | undefined, string | undefined, boolean] => [
      name,
      ctx.facts.frameworks[name]?.version,
      newest(
        ctx.table[name].rows.map((r: { version: string | null }) => r.version)
      ),
      name === 'tensorflow' // the table lists TensorFlow by minor release (2.18)
    ]
  );
  const unknown = checks.filter(
    ([, installed, known, byMinor]) =>
      installed &&
      known &&
      compare(
        byMinor ? majorMinor(installed) : publicVersion(installed),
        known
      ) > 0
  );
  if (!unknown.length) {
    return [];
  }
  return [
    {
      id: 'unknown-version',
      severity: 'info',
      title: t(
        'Newer than the compatibility table: %1',
        unknown.map(([name, v]) => `${name} ${v}`).join(', ')
      ),
      explanation: sentences(
        t(
          'The bundled table does not know these releases yet, so their CUDA requirements were not checked against it.'
        ),
        t(
          'Upgrade jupyterlab-gpu-compat, or point the "Newer compatibility table" setting at a newer table.'
        )
      ),
      evidence: unknown.map(([name, installed, known]) => ({
        label: name,
        value: t('%1 (table knows up to %2)', String(installed), String(known))
      })),
      fixes: [],
      sources: []
    }
  ];
}

/** Two frameworks that want different cuDNN from the same pip package. */
export function cudnnConflict(ctx: IContext): IFinding[] {
  const { torch, tensorflow } = ctx.facts.frameworks;
  const wants: { who: string; pkg: string; specifier: string }[] = [];
  for (const line of torch?.requires ?? []) {
    const m = /^(nvidia-cudnn-cu\d+)\s*\(?([^;)]*)/.exec(line);
    if (m) {
      wants.push({
        who: `torch ${torch!.version}`,
        pkg: m[1],
        specifier: m[2].trim()
      });
    }
  }
  if (tensorflow?.cudnn && tensorflow.cuda && tensorflow.is_cuda_build) {
    const major = Number(tensorflow.cudnn.split('.')[0]);
    wants.push({
      who: `tensorflow ${tensorflow.version}`,
      pkg: `nvidia-cudnn-cu${tensorflow.cuda.split('.')[0]}`,
      specifier: `>=${tensorflow.cudnn},<${major + 1}`
    });
  }
  if (!ctx.scanned('packages')) {
    return [];
  }
  const findings: IFinding[] = [];
  const byPackage = new Map<string, typeof wants>();
  wants.forEach(w =>
    byPackage.set(w.pkg, [...(byPackage.get(w.pkg) ?? []), w])
  );
  for (const [pkg, list] of byPackage) {
    const installed = ctx.facts.packages[pkg];
    const unhappy = list.filter(
      w => !installed || !satisfies(installed, w.specifier)
    );
    if (list.length < 2 || !unhappy.length) {
      continue;
    }
    findings.push({
      id: 'cudnn-conflict',
      severity: 'error',
      title: t(
        '%1 want different cuDNN from %2',
        list
          .map<Arg>(w => w.who)
          .reduce((all, who) => t('%1 and %2', all, who)),
        pkg
      ),
      explanation: sentences(
        installed
          ? t(
              '%1; %2 %3 is installed.',
              listed(
                list.map(w => t('%1 wants %2', w.who, `${pkg}${w.specifier}`))
              ),
              pkg,
              installed
            )
          : t(
              '%1; %2 is not installed.',
              listed(
                list.map(w => t('%1 wants %2', w.who, `${pkg}${w.specifier}`))
              ),
              pkg
            ),
        t(
          'One package cannot serve both: keep the frameworks in separate environments (or kernels), or choose releases built for the same cuDNN.'
        )
      ),
      evidence: [
        ...list.map(w => ({ label: w.who, value: `${pkg}${w.specifier}` })),
        { label: pkg, value: installed ?? t('not installed') }
      ],
      fixes:
        unhappy.length < list.length
          ? []
          : [
              fix(
                t('Restart after choosing one framework per environment'),
                RESTART
              )
            ],
      sources: [ctx.table.tensorflow.rows[0].source],
      restart: false
    });
  }
  return findings;
}
