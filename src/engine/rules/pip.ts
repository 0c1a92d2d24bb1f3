/**
 * Checks of one install command before it runs: pip-downgrade, pip-cpu-torch,
 * pip-unquoted-specifier, pip-breaks-cuda-pins, pip-restart-needed.
 */
import { IContext } from '../context';
import { fix, pip, RESTART, VERIFY } from '../fixes';
import { IInstallCommand, IRequirement } from '../pip/parse';
import { parsePipRequirement } from '../pip/requirement';
import { quoteArg } from '../quote';
import { direction, exactVersion, overlap } from '../specifiers';
import { Arg, IText, listed, NONE, sentences, t, UNKNOWN } from '../text';
import { IFinding, IFix, IFixStep } from '../types';
import {
  compare,
  cudaString,
  majorMinor,
  parseCuda,
  publicVersion,
  satisfies
} from '../versions';
import {
  buildServes,
  newestFirst,
  pythonFits,
  tensorflowReleasesFor,
  tensorflowFix,
  tensorflowRow,
  torchArches,
  torchBuildFix,
  torchBuildFor,
  torchFitsPython,
  torchPythons,
  torchRow
} from './frameworks';
import { hostedBaseline } from './hosted';
import { markerApplies, normalizeName } from './requirements';
import { andCuda } from './tensorflow';

export type PipRule = (ctx: IContext, command: IInstallCommand) => IFinding[];

const DISPLAY: Record<string, string> = {
  tensorflow: 'TensorFlow',
  'tensorflow-cpu': 'TensorFlow',
  torch: 'torch',
  torchvision: 'torchvision',
  torchaudio: 'torchaudio',
  jax: 'JAX',
  jaxlib: 'jaxlib',
  bitsandbytes: 'bitsandbytes',
  numpy: 'NumPy'
};

const VERIFY_FOR: Record<string, string> = {
  tensorflow: VERIFY.tensorflow,
  'tensorflow-cpu': VERIFY.tensorflow,
  torch: VERIFY.torch,
  torchvision: VERIFY.torch,
  torchaudio: VERIFY.torch,
  jax: VERIFY.jax,
  jaxlib: VERIFY.jax,
  bitsandbytes: VERIFY.bitsandbytes
};

function range_(span: { line: number; from: number; to: number }) {
  return { line: span.line, from: span.from, to: span.to };
}

function installs(command: IInstallCommand): IRequirement[] {
  return command.action === 'install' ? command.requirements : [];
}

/** What this environment has of a package: installed, or else what the hosted runtime ships. */
function reference(
  ctx: IContext,
  name: string
): { version: string; where: IText; whereNow: IText } | null {
  const installed = ctx.facts.packages[name];
  const runtime = ctx.facts.target && ctx.facts.platform.hosted?.name;
  if (installed && runtime) {
    // A target's packages are that runtime's, not this kernel's.
    return {
      version: installed,
      where: t('This %1 runtime', runtime),
      whereNow: t('%1 (this %2 runtime)', installed, runtime)
    };
  }
  if (installed) {
    return {
      version: installed,
      where: t('This environment'),
      whereNow: t('%1 (this environment)', installed)
    };
  }
  const baseline = hostedBaseline(ctx);
  const shipped = baseline?.[name as 'tensorflow' | 'torch' | 'jax'];
  return typeof shipped === 'string'
    ? {
        version: shipped,
        where: t('This %1 runtime', baseline!.runtime),
        whereNow: t(
          '%1 (this %2 runtime)',
          shipped,
          baseline!.runtime.toLowerCase()
        )
      }
    : null;
}

/** The table's releases of a subject, newest first (TensorFlow by minor release). */
function releases(
  ctx: IContext,
  name: string
): { version: string; python: string | null }[] {
  return name === 'torch'
    ? newestFirst(ctx.table.torch.rows).map(r => ({
        version: r.version,
        python: torchPythons(r)
      }))
    : name === 'tensorflow' || name === 'tensorflow-cpu'
      ? newestFirst(ctx.table.tensorflow.rows)
      : name === 'jax'
        ? newestFirst(ctx.table.jax.rows).map(r => ({
            version: r.version,
            python: r.requires_python
          }))
        : [];
}

export interface IResolved {
  version: string;
  /** Not pinned: the newest release the table knows that fits the specifier and this Python. */
  newest: boolean;
}

/**
 * The release an install of `req` would end at, as far as the table tells: the pinned version;
 * else, where pip would change the package (not installed, -U, --force-reinstall, or the installed
 * one outside the specifier), the newest release that fits; null when nothing changes.
 */
export function resolvedRelease(
  ctx: IContext,
  command: IInstallCommand,
  req: IRequirement
): IResolved | null {
  const pinned = exactVersion(req.specifier);
  if (pinned) {
    return { version: pinned, newest: false };
  }
  const installed = req.name ? ctx.facts.packages[req.name] : undefined;
  const changes =
    !installed ||
    command.options.upgrade ||
    command.options.forceReinstall ||
    !satisfies(installed, req.specifier || '>=0');
  if (!req.name || !changes) {
    return null;
  }
  const fits = (v: string) =>
    !req.specifier ||
    satisfies(v, req.specifier) ||
    satisfies(`${v}.0`, req.specifier);
  const row = releases(ctx, req.name).find(
    r => fits(r.version) && pythonFits(ctx, r.python)
  );
  return row ? { version: row.version, newest: true } : null;
}

function hasCudnn(ctx: IContext, cudnn: string): boolean {
  const major = cudnn.split('.')[0];
  return ctx.facts.cuda.libraries.some(
    l => l.kind === 'cudnn' && l.version?.split('.')[0] === major
  );
}

/** The Python range of a release, for the no-wheel check (TensorFlow by minor release). */
function pythonRange(
  ctx: IContext,
  name: string,
  version: string
): string | null | undefined {
  if (name === 'tensorflow' || name === 'tensorflow-cpu') {
    return tensorflowRow(ctx, version)?.python;
  }
  if (name === 'torch') {
    const row = torchRow(ctx, version);
    return row ? torchPythons(row) : undefined;
  }
  if (name === 'jax') {
    return ctx.table.jax.rows.find(r => r.version === publicVersion(version))
      ?.requires_python;
  }
  return undefined;
}

/** A pinned release with no wheel for this Python: pip fails before anything changes. */
function noWheel(ctx: IContext, req: IRequirement): string | null {
  const pinned = exactVersion(req.specifier);
  if (!req.name || !pinned || !DISPLAY[req.name] || !ctx.facts.python.version) {
    return null;
  }
  const range = pythonRange(ctx, req.name, pinned);
  return range && !pythonFits(ctx, range) ? range : null;
}

export const pipNoWheel: PipRule = (ctx, command) => {
  const findings: IFinding[] = [];
  const python = majorMinor(ctx.facts.python.version);
  for (const req of installs(command)) {
    const range = noWheel(ctx, req);
    if (!range) {
      continue;
    }
    const name = req.name!;
    const label = DISPLAY[name];
    const pinned = exactVersion(req.specifier)!;
    const fixes: IFix[] = [];
    if (name === 'tensorflow' || name === 'tensorflow-cpu') {
      fixes.push(
        ...tensorflowReleasesFor(ctx)
          .slice(0, 1)
          .map(row => tensorflowFix(ctx, row))
      );
    } else if (name === 'torch') {
      const build = torchBuildFor(ctx, null);
      fixes.push(
        ...(build ? [torchBuildFix(ctx, build, companionsOf(ctx))] : [])
      );
    }
    const older = ctx.facts.platform.hosted
      ? ctx.table['hosted-runtimes'].rows
          .filter(
            r =>
              r.runtime === ctx.facts.platform.hosted!.name &&
              r.python &&
              satisfies(r.python, range)
          )
          .sort((a, b) => b.date.localeCompare(a.date))[0]
      : undefined;
    findings.push({
      id: 'pip-no-wheel',
      severity: 'error',
      title: t('pip will fail: no %1 %2 for Python %3', label, pinned, python),
      explanation: sentences(
        t(
          '%1 %2 has wheels for Python %3 only; this kernel runs Python %4, so pip stops with "No matching distribution found" and nothing changes.',
          label,
          pinned,
          range,
          ctx.facts.python.version
        ),
        older
          ? t(
              'The %1 runtime of %2 had Python %3, where %4 %5 installs: pin that runtime version, or use a release that has a wheel for Python %6.',
              older.runtime,
              older.date,
              older.python!,
              label,
              pinned,
              python
            )
          : t(
              'Use a release that has a wheel for Python %1, or a kernel with a Python in %2.',
              python,
              range
            )
      ),
      evidence: [
        { label: t('this cell asks for'), value: req.text },
        {
          label: t('%1 %2 wheels', label, pinned),
          value: t('Python %1', range)
        },
        { label: t('kernel Python'), value: ctx.facts.python.version }
      ],
      fixes,
      verify: VERIFY_FOR[name],
      sources: [
        (name === 'torch'
          ? torchRow(ctx, pinned)?.source
          : tensorflowRow(ctx, pinned)?.source) ?? 'https://pypi.org/',
        ...(older ? [older.source] : [])
      ],
      restart: true,
      range: range_(req)
    });
  }
  return findings;
};

function companionsOf(ctx: IContext): string[] {
  return ['torchvision', 'torchaudio'].filter(
    name =>
      ctx.facts.frameworks[name as 'torchvision'] || ctx.facts.packages[name]
  );
}

/** The release a specifier pins: `==2.15.1`, or a series `==2.14.*` (as `2.14`). */
function pinnedRelease(specifier: string): string | null {
  return (
    exactVersion(specifier) ??
    /^==\s*(\d+(?:\.\d+)*)\.\*$/.exec(specifier.trim())?.[1] ??
    null
  );
}

export const pipDowngrade: PipRule = (ctx, command) => {
  const findings: IFinding[] = [];
  const baseline = hostedBaseline(ctx);
  const cellNames = new Set(installs(command).map(r => r.name));
  for (const req of installs(command)) {
    const had = req.name && DISPLAY[req.name] ? reference(ctx, req.name) : null;
    if (
      !req.name ||
      !had ||
      noWheel(ctx, req) ||
      direction(had.version, req.specifier) !== 'lower'
    ) {
      continue;
    }
    const name = req.name;
    const label = DISPLAY[name];
    const target = pinnedRelease(req.specifier);
    const wanted = target ?? req.specifier;
    const shipped = baseline?.[name as 'tensorflow' | 'torch' | 'jax'];
    // Worth saying where the kernel is not that runtime itself (a target's packages are the runtime's).
    const belowRuntime =
      !ctx.facts.target &&
      typeof shipped === 'string' &&
      !!target &&
      compare(publicVersion(target), publicVersion(shipped)) < 0;
    const kept = publicVersion(had.version);
    const fixes: IFix[] = req.pulledBy
      ? pulledFixes(command, req.pulledBy, name, kept)
      : [
          fix(
            t('Stay on %1 %2 (run this instead)', label, kept),
            pip(`${name}==${kept}`)
          )
        ];
    // A downgrade is a notice when what it lands on runs here and brings what it needs; a warning
    // below the hosted runtime's release or with pieces left behind; an error when it cannot work.
    let severity: IFinding['severity'] = 'info';
    let why: IText;
    const sources: string[] = [];
    if (name === 'tensorflow' || name === 'tensorflow-cpu') {
      const rowHad = tensorflowRow(ctx, had.version);
      const rowNew = target ? tensorflowRow(ctx, target) : undefined;
      const withCuda = req.extras.includes('and-cuda');
      // The libraries are loaded by soname (libcudart.so.12, libcudnn.so.9): a new major needs
      // new libraries, another minor of the same major does not.
      const major = (v: string) => v.split('.')[0];
      const cudaChanges =
        !!rowHad &&
        !!rowNew &&
        (major(rowHad.cuda) !== major(rowNew.cuda) ||
          major(rowHad.cudnn) !== major(rowNew.cudnn));
      const newRuns =
        !rowNew || buildServes(ctx, parseCuda(rowNew.cuda), null).runs;
      if (ctx.nvidiaPresent && ((cudaChanges && !withCuda) || !newRuns)) {
        severity = 'error';
      } else if (!rowNew) {
        severity = 'warning';
      }
      why = sentences(
        belowRuntime &&
          t(
            "This is below the %1 runtime's own TensorFlow %2.",
            baseline!.runtime,
            shipped!
          ),
        !rowHad
          ? t('%1 has TensorFlow %2.', had.where, had.version)
          : hasCudnn(ctx, rowHad.cudnn)
            ? t(
                '%1 has TensorFlow %2, built for CUDA %3 / cuDNN %4, with those libraries installed.',
                had.where,
                had.version,
                rowHad.cuda,
                rowHad.cudnn
              )
            : t(
                '%1 has TensorFlow %2, built for CUDA %3 / cuDNN %4.',
                had.where,
                had.version,
                rowHad.cuda,
                rowHad.cudnn
              ),
        rowNew &&
          t(
            'TensorFlow %1 was built for CUDA %2 / cuDNN %3.',
            target!,
            rowNew.cuda,
            rowNew.cudnn
          ),
        withCuda
          ? t(
              'With [and-cuda], pip also installs its CUDA libraries, replacing the ones other frameworks here may use; restart the kernel afterwards.'
            )
          : cudaChanges
            ? t(
                'Plain `tensorflow` brings no CUDA libraries: it will log "Cannot dlopen some GPU libraries … Skipping registering GPU devices" and train on the CPU.'
              )
            : t('Restart the kernel afterwards.')
      );
      if (target && !withCuda && cudaChanges && newRuns && ctx.os === 'linux') {
        // Pulled in by the cell's packages: the same cell, with TensorFlow's CUDA libraries.
        fixes.push(
          req.pulledBy
            ? { ...andCuda(target, command.argv?.slice(1)), confirm: true }
            : andCuda(target)
        );
      }
      sources.push(
        ...[rowHad?.source, rowNew?.source].filter((s): s is string => !!s)
      );
    } else if (name === 'torch' && target) {
      const row = torchRow(ctx, target);
      const left = companionsOf(ctx).filter(c => !cellNames.has(c));
      const build = torchBuildFor(ctx, target, true);
      if (left.length && severity === 'info') {
        severity = 'warning';
      }
      if (!build && severity === 'info') {
        severity = 'warning';
      }
      why = sentences(
        belowRuntime &&
          t(
            "This is below the %1 runtime's own torch %2.",
            baseline!.runtime,
            shipped!
          ),
        t('%1 has torch %2.', had.where, had.version),
        left.length && row
          ? t(
              'torch %1 goes with %2: install them together, or they break on import.',
              target,
              left
                .map((c): Arg => `${c} ${row[c as 'torchvision'] ?? '?'}`)
                .reduce((all, item) => t('%1 and %2', all, item))
            )
          : null,
        t('Restart the kernel afterwards.')
      );
      if (build) {
        fixes.push(torchBuildFix(ctx, build, companionsOf(ctx)));
      }
      if (row) {
        sources.push(row.source);
      }
    } else if (
      (name === 'torchvision' || name === 'torchaudio') &&
      cellNames.has('torch')
    ) {
      why = sentences(
        t(
          '%1 has %2 %3; the cell installs it with its torch.',
          had.where,
          label,
          had.version
        ),
        t('Restart the kernel afterwards.')
      );
    } else {
      severity = 'warning';
      why = sentences(
        t(
          '%1 has %2 %3; the cell asks for %4.',
          had.where,
          label,
          had.version,
          wanted
        ),
        t('Restart the kernel afterwards.')
      );
    }
    findings.push({
      id: 'pip-downgrade',
      severity,
      title: t('This cell downgrades %1 %2 to %3', label, had.version, wanted),
      explanation: why,
      evidence: [
        { label: t('%1 now', name), value: had.whereNow },
        req.pulledBy
          ? {
              label: t('pip would install, for %1', req.pulledBy.join(', ')),
              value: req.text
            }
          : { label: t('this cell asks for'), value: req.text }
      ],
      fixes,
      verify: VERIFY_FOR[name],
      sources,
      restart: true,
      range: range_(req)
    });
  }
  return findings;
};

/**
 * The smallest changes to a cell whose named packages pull a downgrade in: the same command with
 * the installed version pinned beside them (pip then finds a set that keeps it, or none), or without
 * their dependencies. Whether either works only pip can say: both must be confirmed by a dry run.
 */
function pulledFixes(
  command: IInstallCommand,
  named: string[],
  name: string,
  kept: string
): IFix[] {
  const args = command.argv?.slice(1) ?? [];
  const label = DISPLAY[name];
  return [
    {
      ...fix(
        t('Keep %1 %2 while installing %3', label, kept, named.join(', ')),
        pip(...args, `${name}==${kept}`)
      ),
      confirm: true
    },
    ...(args.includes('--no-deps')
      ? []
      : [
          {
            ...fix(
              t(
                'Install %1 without its dependencies (keeps %2 %3; check that it works with it)',
                named.join(', '),
                label,
                kept
              ),
              pip('--no-deps', ...args)
            ),
            confirm: true
          }
        ])
  ];
}

const TORCH_FAMILY = new Set(['torch', 'torchvision', 'torchaudio']);

/** cpu / cu121 / rocm6.1 from an index URL or a local version label. */
function torchVariant(
  command: IInstallCommand,
  req: IRequirement
): string | null {
  const local = /\+([a-z0-9.]+)$/.exec(exactVersion(req.specifier) ?? '')?.[1];
  if (local) {
    return local;
  }
  for (const url of [
    command.options.indexUrl,
    ...command.options.extraIndexUrls
  ]) {
    const variant =
      /\/whl\/(?:nightly\/|test\/)?(cpu|cu\d+|rocm[\d.]+|xpu)\/?$/.exec(
        url ?? ''
      )?.[1];
    if (variant) {
      return variant;
    }
  }
  return null;
}

/** The newest torch that has a torchaudio (torchaudio stopped after 2.11): where `-U torchaudio` holds torch. */
function newestWithTorchaudio(ctx: IContext): string | null {
  return (
    newestFirst(ctx.table.torch.rows).find(
      r => r.torchaudio && torchFitsPython(ctx, r)
    )?.version ?? null
  );
}

/**
 * The torch this command installs: pinned, or the newest release (held back to the last one with a
 * torchaudio when the cell also installs torchaudio), or null when torch does not change.
 */
function torchTarget(
  ctx: IContext,
  command: IInstallCommand
): { version: string; newest: boolean; heldBy: string | null } | null {
  const reqs = installs(command);
  const torchReq = reqs.find(r => r.name === 'torch');
  const audio = reqs.find(r => r.name === 'torchaudio');
  const resolved = torchReq ? resolvedRelease(ctx, command, torchReq) : null;
  if (!resolved) {
    return null;
  }
  const held = newestWithTorchaudio(ctx);
  if (
    resolved.newest &&
    audio &&
    !exactVersion(audio.specifier) &&
    held &&
    compare(resolved.version, held) > 0
  ) {
    return { version: held, newest: true, heldBy: audio.text };
  }
  return { ...resolved, heldBy: null };
}

export const pipTorchaudioHoldsTorch: PipRule = (ctx, command) => {
  const target = torchTarget(ctx, command);
  const audio = installs(command).find(r => r.name === 'torchaudio');
  if (!target?.heldBy || !audio) {
    return [];
  }
  const newest = String(
    installs(command)
      .filter(r => r.name === 'torch')
      .map(r => resolvedRelease(ctx, command, r)?.version)[0]
  );
  const without = quotedWithout(command, audio);
  return [
    {
      id: 'pip-no-wheel',
      severity: 'warning',
      title: t(
        'torchaudio has no release for torch %1: this cell ends at torch %2',
        newest,
        target.version
      ),
      explanation: sentences(
        t(
          "torchaudio's last release is for torch %1 (newest as of the table's date, %2), and each torchaudio pins its torch exactly, so pip resolves torch %1 instead of %3, or fails.",
          target.version,
          ctx.table.torch.meta.made,
          newest
        ),
        t('Leave torchaudio out of the cell if the code does not import it.')
      ),
      evidence: [
        { label: t('this cell'), value: command.args.text },
        {
          label: t('newest torch'),
          value: t('%1 (table of %2)', newest, ctx.table.torch.meta.made)
        },
        {
          label: t('newest torchaudio'),
          value: t('for torch %1', target.version)
        }
      ],
      fixes: without
        ? [fix(t('The same command without torchaudio'), without)]
        : [],
      verify: VERIFY.torch,
      sources: [
        torchRow(ctx, target.version)?.source ?? ctx.table.torch.meta.sources[0]
      ],
      restart: true,
      range: range_(audio)
    }
  ];
};

/** The command's own arguments without one requirement, as a fix step. */
function quotedWithout(
  command: IInstallCommand,
  req: IRequirement
): IFixStep | null {
  const start = req.from - command.args.from;
  const end = req.to - command.args.from;
  if (start < 0 || end > command.args.text.length) {
    return null;
  }
  const text = (
    command.args.text.slice(0, start) + command.args.text.slice(end)
  )
    .replace(/\\\n\s*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return command.tool === 'pip'
    ? { kind: 'pip', text }
    : {
        kind: 'shell',
        text: `${command.tool === 'uv' ? 'uv pip' : 'conda'} ${text}`
      };
}

export const pipCpuTorch: PipRule = (ctx, command) => {
  if (!ctx.nvidiaPresent || ctx.os === 'macos' || command.tool === 'conda') {
    return [];
  }
  const req = installs(command).find(r => r.name && TORCH_FAMILY.has(r.name));
  if (!req) {
    return [];
  }
  const fromIndex = torchVariant(command, req);
  const target = torchTarget(ctx, command);
  if (!target && !fromIndex) {
    return [];
  }
  const row = target ? torchRow(ctx, target.version) : undefined;
  const variant =
    fromIndex ??
    (ctx.os === 'windows'
      ? 'cpu'
      : row?.default_cuda
        ? `cu${row.default_cuda.replace('.', '')}`
        : null);
  if (!variant) {
    return [];
  }
  const cuda = parseCuda(variant);
  const cpu = variant === 'cpu';
  const served =
    cuda && target
      ? buildServes(ctx, cuda, torchArches(ctx, target.version, variant))
      : null;
  if (!cpu && (!served || served.runs)) {
    return [];
  }
  const good = torchBuildFor(ctx, target?.version ?? null);
  const driver = t(
    '%1 (CUDA %2)',
    ctx.facts.driver.version ?? UNKNOWN,
    ctx.driverCuda ? cudaString(ctx.driverCuda) : UNKNOWN
  );
  const version = target ? `torch ${target.version}` : 'torch';
  const where = fromIndex
    ? t('the %1 index', variant)
    : ctx.os === 'windows'
      ? t('the default index (its Windows wheels are CPU-only)')
      : t(
          "the default index (%1's Linux wheel is built for CUDA %2)",
          version,
          row!.default_cuda!
        );
  const newestNote =
    target?.newest &&
    t(
      "%1 is the newest release for this Python as of the table's date (%2).",
      version,
      ctx.table.torch.meta.made
    );
  const why = cpu
    ? t(
        'It installs from %1: torch.cuda.is_available() will be False and everything runs on the CPU.',
        where
      )
    : served!.unserved.length
      ? t(
          'It installs from %1, which has no kernels for %2: "no kernel image is available for execution on the device".',
          where,
          served!.unserved.join(', ')
        )
      : t(
          'It installs from %1: %2 Expect "CUDA driver version is insufficient for CUDA runtime version".',
          where,
          served!.cuda!.rule
        );
  return [
    {
      id: 'pip-cpu-torch',
      severity: 'error',
      title: cpu
        ? t(
            'This cell installs a CPU-only torch on a machine with an NVIDIA GPU'
          )
        : served!.unserved.length
          ? t(
              'This cell installs %1 (%2), which has no kernels for this GPU',
              version,
              variant
            )
          : t(
              'This cell installs %1 built for CUDA %2, which this driver cannot run',
              version,
              cudaString(cuda!)
            ),
      explanation: sentences(why, newestNote),
      evidence: [
        { label: t('this cell'), value: t('%1 from %2', req.text, where) },
        { label: t('driver'), value: driver },
        {
          label: 'GPU',
          value:
            ctx.facts.gpus
              .map(
                g =>
                  `${g.name}${g.compute_capability ? ` (${g.compute_capability})` : ''}`
              )
              .join(', ') || t('driver present')
        },
        ...(served?.cuda
          ? [{ label: t('verdict'), value: served.cuda.rule }]
          : [])
      ],
      fixes: good
        ? [
            // The cell's companions and the installed ones, pinned to the build (none past the
            // last release a companion has: torchBuildFix leaves those out).
            torchBuildFix(ctx, good, [
              ...new Set([
                ...installs(command)
                  .map(r => r.name!)
                  .filter(n => n !== 'torch' && TORCH_FAMILY.has(n)),
                ...companionsOf(ctx)
              ])
            ])
          ]
        : [],
      verify: VERIFY.torch,
      sources: row ? [row.source] : [],
      restart: true,
      range: range_(req)
    }
  ];
};

/** The command's arguments with every swallowed specifier quoted, as a step of the fix. */
function quotedCommand(command: IInstallCommand): IFixStep | null {
  let text = command.args.text;
  try {
    for (const u of [...command.unquoted].reverse()) {
      const start = u.from - command.args.from;
      text =
        text.slice(0, start) +
        quoteArg(u.meant) +
        text.slice(u.to - command.args.from);
    }
  } catch {
    return null; // quoteArg refuses $, {, …: no safe rewrite exists
  }
  text = text.replace(/\\\n\s*/g, ' ');
  return command.tool === 'pip'
    ? { kind: 'pip', text }
    : {
        kind: 'shell',
        text: `${command.tool === 'uv' ? 'uv pip' : 'conda'} ${text}`
      };
}

export const pipUnquotedSpecifier: PipRule = (ctx, command) => {
  if (!command.unquoted.length) {
    return [];
  }
  const step = quotedCommand(command);
  return command.unquoted.map(u => {
    const output = u.redirect === '>';
    return {
      id: 'pip-unquoted-specifier' as const,
      severity: 'error' as const,
      title: t(
        'Quote %1: the shell reads %2 as a redirection',
        u.meant,
        `${u.redirect}${u.file}`
      ),
      explanation: sentences(
        output
          ? t(
              'Unquoted, the shell sends pip\'s output into a file named "%1" and pip installs %2 with no version constraint, so an old version can stay.',
              u.file,
              u.meant.split(/[<>]/)[0]
            )
          : t(
              'Unquoted, the shell tries to read input from a file named "%1"; the command fails with "No such file or directory" and nothing is installed.',
              u.file
            ),
        t('Put the requirement in quotes.')
      ),
      evidence: [
        { label: t('written'), value: u.meant },
        {
          label: t('the shell runs'),
          value: `${u.meant.split(/[<>]/)[0]} ${u.redirect} ${u.file}`
        }
      ],
      fixes: step ? [fix(t('The same command, quoted'), step)] : [],
      sources: [
        'https://pip.pypa.io/en/stable/user_guide/#installing-packages'
      ],
      range: range_(u)
    };
  });
};

interface IPinned {
  spec: string;
  by: string;
}

/** The nvidia-* versions this command would bring, from the table's pins of what it installs. */
function cudaPinsBrought(
  ctx: IContext,
  command: IInstallCommand
): Map<string, IPinned> {
  const brings = new Map<string, IPinned>();
  const add = (name: string, spec: string, by: string) =>
    brings.set(normalizeName(name), { spec: spec.replace(/\s+/g, ''), by });
  for (const req of installs(command)) {
    // What the install lands on: the pin, or the newest release the table knows (null: no change).
    const version = resolvedRelease(ctx, command, req)?.version ?? null;
    if (req.name?.startsWith('nvidia-') && req.specifier) {
      add(req.name, req.specifier, req.text);
    } else if (
      req.name === 'tensorflow' &&
      req.extras.includes('and-cuda') &&
      version
    ) {
      Object.entries(tensorflowRow(ctx, version)?.and_cuda ?? {}).forEach(
        ([n, s]) => add(n, s, req.text)
      );
    } else if (
      req.name === 'torch' &&
      ctx.os === 'linux' &&
      !command.options.indexUrl &&
      version
    ) {
      Object.entries(torchRow(ctx, version)?.pins ?? {}).forEach(([n, s]) =>
        add(n, s, req.text)
      );
    } else if (
      req.name === 'jax' &&
      req.extras.some(e => /^cuda1[23]/.test(e)) &&
      version
    ) {
      const row = ctx.table.jax.rows.find(
        r => r.version === publicVersion(version)
      );
      const list = req.extras.some(e => e.startsWith('cuda13'))
        ? row?.cuda13
        : row?.cuda12;
      for (const line of list ?? []) {
        const parsed = parsePipRequirement(line);
        if (typeof parsed !== 'string' && parsed.name) {
          add(parsed.name, parsed.specifier, req.text);
        }
      }
    }
  }
  return brings;
}

export const pipBreaksCudaPins: PipRule = (ctx, command) => {
  const brings = cudaPinsBrought(ctx, command);
  if (!brings.size || ctx.os !== 'linux') {
    return [];
  }
  const reinstalled = new Set(installs(command).map(r => r.name));
  const findings: IFinding[] = [];
  const { torch, tensorflow } = ctx.facts.frameworks;
  for (const [framework, facts] of [
    ['torch', torch],
    ['tensorflow', tensorflow]
  ] as const) {
    if (!facts || reinstalled.has(framework)) {
      continue;
    }
    const clashes: {
      name: string;
      theirs: string;
      ours: IPinned;
      installed: string | null;
    }[] = [];
    for (const line of facts.requires ?? []) {
      const parsed = parsePipRequirement(line);
      if (
        typeof parsed === 'string' ||
        !parsed.name ||
        !markerApplies(parsed.marker ?? undefined, ctx)
      ) {
        continue;
      }
      const ours = brings.get(parsed.name);
      const installed = ctx.facts.packages[parsed.name] ?? null;
      if (
        ours &&
        !overlap(ours.spec, parsed.specifier) &&
        !(installed && satisfies(installed, ours.spec))
      ) {
        clashes.push({
          name: parsed.name,
          theirs: parsed.specifier,
          ours,
          installed
        });
      }
    }
    if (!clashes.length) {
      continue;
    }
    const by = [...new Set(clashes.map(c => c.ours.by))].join(', ');
    const req =
      installs(command).find(r => r.text === clashes[0].ours.by) ??
      installs(command)[0];
    findings.push({
      id: 'pip-breaks-cuda-pins',
      severity: 'warning',
      title: t(
        '%1 would replace CUDA packages that %2 %3 needs',
        by,
        framework,
        facts.version
      ),
      explanation: sentences(
        t(
          '%1. pip will replace them and %2 may fail to load its CUDA libraries afterwards.',
          listed(
            clashes.map(c =>
              t(
                "%1 %2 (for %3) cannot satisfy %4's %5",
                c.name,
                c.ours.spec,
                c.ours.by,
                framework,
                c.theirs
              )
            )
          ),
          framework
        ),
        t(
          'Use versions whose CUDA pins agree, or put the second framework in its own virtual environment and kernel.'
        )
      ),
      evidence: clashes.map(c => ({
        label: c.name,
        value: t(
          'installed %1; %2 needs %3; this cell brings %4',
          c.installed ?? NONE,
          framework,
          c.theirs,
          c.ours.spec
        )
      })),
      fixes: [],
      verify: framework === 'torch' ? VERIFY.torch : VERIFY.tensorflow,
      sources: [],
      restart: true,
      range: range_(req)
    });
  }
  return findings;
};

export const pipRestartNeeded: PipRule = (ctx, command) => {
  // Imported version by distribution name (modules are named like their distributions here).
  const imported = new Map(
    Object.entries(ctx.facts.frameworks.imported)
      .filter(([, version]) => version)
      .map(([module, version]) => [normalizeName(module), version!])
  );
  const changed = command.requirements.filter(req => {
    const installed = req.name ? ctx.facts.packages[req.name] : undefined;
    if (!req.name || !imported.has(req.name) || !installed) {
      return false;
    }
    return (
      command.action === 'uninstall' ||
      command.options.forceReinstall ||
      (command.options.upgrade && !exactVersion(req.specifier)) ||
      direction(installed, req.specifier) !== 'keep'
    );
  });
  if (!changed.length) {
    return [];
  }
  const list = changed.map(r => r.name).join(', ');
  return [
    {
      id: 'pip-restart-needed',
      severity: 'warning',
      title:
        changed.length > 1
          ? t(
              '%1 are already imported: restart the kernel after this cell',
              list
            )
          : t(
              '%1 is already imported: restart the kernel after this cell',
              list
            ),
      explanation: sentences(
        t(
          'This kernel has already imported %1.',
          changed.map(r => `${r.name} ${imported.get(r.name!)}`).join(', ')
        ),
        t(
          'A running Python process keeps the old version; the new one is used only after a restart.'
        )
      ),
      evidence: changed.map(r => ({
        label: r.name!,
        value: t('imported; this cell: %1', r.text)
      })),
      fixes: [fix(t('Restart the kernel after the install'), RESTART)],
      sources: [],
      restart: true,
      range: range_(changed[0])
    }
  ];
};

export const PIP_RULES: PipRule[] = [
  pipUnquotedSpecifier,
  pipNoWheel,
  pipDowngrade,
  pipCpuTorch,
  pipTorchaudioHoldsTorch,
  pipBreaksCudaPins,
  pipRestartNeeded
];
