/**
 * Checks of one install command before it runs: pip-downgrade, pip-cpu-torch,
 * pip-unquoted-specifier, pip-breaks-cuda-pins, pip-restart-needed.
 */
import { driverServes, IContext } from '../context';
import { fix, pip, RESTART, VERIFY } from '../fixes';
import { IInstallCommand, IRequirement } from '../pip/parse';
import { parsePipRequirement } from '../pip/requirement';
import { quoteArg } from '../quote';
import { direction, exactVersion, overlap } from '../specifiers';
import { IFinding, IFix, IFixStep } from '../types';
import { cudaString, parseCuda, publicVersion, satisfies } from '../versions';
import { tensorflowRow, torchIndexUrl, torchVariantFor } from './frameworks';
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
  bitsandbytes: 'bitsandbytes'
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

function range(span: { line: number; from: number; to: number }) {
  return { line: span.line, from: span.from, to: span.to };
}

function installs(command: IInstallCommand): IRequirement[] {
  return command.action === 'install' ? command.requirements : [];
}

/** What this environment has of a package: installed, or else what the hosted runtime ships. */
function reference(
  ctx: IContext,
  name: string
): { version: string; where: string } | null {
  const installed = ctx.facts.packages[name];
  if (installed) {
    return { version: installed, where: 'This environment' };
  }
  const baseline = hostedBaseline(ctx);
  const shipped = baseline?.[name as 'tensorflow' | 'torch' | 'jax'];
  return typeof shipped === 'string'
    ? { version: shipped, where: `This ${baseline!.runtime} runtime` }
    : null;
}

function torchRow(ctx: IContext, version: string | null) {
  const rows = ctx.table.torch.rows;
  return version
    ? rows.find(r => r.version === publicVersion(version))
    : rows.find(r => r.default_cuda);
}

function hasCudnn(ctx: IContext, cudnn: string): boolean {
  const major = cudnn.split('.')[0];
  return ctx.facts.cuda.libraries.some(
    l => l.kind === 'cudnn' && l.version?.split('.')[0] === major
  );
}

export const pipDowngrade: PipRule = (ctx, command) => {
  const findings: IFinding[] = [];
  for (const req of installs(command)) {
    const had = req.name && DISPLAY[req.name] ? reference(ctx, req.name) : null;
    if (
      !req.name ||
      !had ||
      direction(had.version, req.specifier) !== 'lower'
    ) {
      continue;
    }
    const name = req.name;
    const label = DISPLAY[name];
    const target = exactVersion(req.specifier);
    const wanted = target ?? req.specifier;
    const fixes: IFix[] = [
      fix(
        `Stay on ${label} ${publicVersion(had.version)} (run this instead)`,
        pip(`${name}==${publicVersion(had.version)}`)
      )
    ];
    let severity: IFinding['severity'] = 'warning';
    let why = '';
    const sources: string[] = [];
    if (name === 'tensorflow' || name === 'tensorflow-cpu') {
      const rowHad = tensorflowRow(ctx, had.version);
      const rowNew = target ? tensorflowRow(ctx, target) : undefined;
      const withCuda = req.extras.includes('and-cuda');
      const cudaChanges =
        !!rowHad &&
        !!rowNew &&
        (rowHad.cuda !== rowNew.cuda ||
          rowHad.cudnn.split('.')[0] !== rowNew.cudnn.split('.')[0]);
      if (ctx.nvidiaPresent && cudaChanges && !withCuda) {
        severity = 'error';
      }
      why =
        `${had.where} has TensorFlow ${had.version}${rowHad ? `, built for CUDA ${rowHad.cuda} / cuDNN ${rowHad.cudnn}${hasCudnn(ctx, rowHad.cudnn) ? ', with those libraries installed' : ''}` : ''}. ` +
        (rowNew
          ? `TensorFlow ${target} was built for CUDA ${rowNew.cuda} / cuDNN ${rowNew.cudnn}. `
          : '') +
        (withCuda
          ? 'With [and-cuda], pip also installs its CUDA libraries, replacing the ones other frameworks here may use; restart the kernel afterwards.'
          : cudaChanges
            ? 'Plain `tensorflow` brings no CUDA libraries: it will log "Cannot dlopen some GPU libraries … Skipping registering GPU devices" and train on the CPU.'
            : 'Restart the kernel afterwards.');
      if (target && !withCuda) {
        fixes.push(andCuda(target));
      }
      sources.push(
        ...[rowHad?.source, rowNew?.source].filter((s): s is string => !!s)
      );
    } else if (name === 'torch' && target) {
      const row = torchRow(ctx, target);
      const variant = torchVariantFor(ctx, target, ctx.driverCuda);
      const companions = [
        ...(row?.torchvision ? [`torchvision==${row.torchvision}`] : []),
        ...(row?.torchaudio ? [`torchaudio==${row.torchaudio}`] : [])
      ];
      why =
        `${had.where} has torch ${had.version}. ` +
        (companions.length
          ? `torch ${target} goes with ${companions.join(' and ')}: install them together, or torchvision/torchaudio break on import. `
          : '') +
        'Restart the kernel afterwards.';
      if (variant) {
        fixes.push(
          fix(
            `Install torch ${target} with its companions, built for ${variant}`,
            pip(
              `torch==${publicVersion(target)}`,
              ...companions,
              '--index-url',
              torchIndexUrl(ctx, variant)
            ),
            RESTART
          )
        );
      }
      if (row) {
        sources.push(row.source);
      }
    } else {
      why = `${had.where} has ${label} ${had.version}; the cell asks for ${wanted}. Restart the kernel afterwards.`;
    }
    findings.push({
      id: 'pip-downgrade',
      severity,
      title: `This cell downgrades ${label} ${had.version} to ${wanted}`,
      explanation: why,
      evidence: [
        {
          label: `${name} now`,
          value: `${had.version} (${had.where.toLowerCase()})`
        },
        { label: 'this cell asks for', value: req.text }
      ],
      fixes,
      verify: VERIFY_FOR[name],
      sources,
      restart: true,
      range: range(req)
    });
  }
  return findings;
};

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

export const pipCpuTorch: PipRule = (ctx, command) => {
  if (!ctx.nvidiaPresent || ctx.os === 'macos' || command.tool === 'conda') {
    return [];
  }
  const req = installs(command).find(r => r.name && TORCH_FAMILY.has(r.name));
  if (!req) {
    return [];
  }
  const torchReq = installs(command).find(r => r.name === 'torch');
  const target = torchReq ? exactVersion(torchReq.specifier) : null;
  const row = torchRow(ctx, target);
  const fromIndex = torchVariant(command, req);
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
  if (
    !cpu &&
    (!cuda || !ctx.driverCuda || driverServes(ctx.driverCuda, cuda) !== 'no')
  ) {
    return [];
  }
  const good = torchVariantFor(
    ctx,
    target ?? row?.version ?? '',
    ctx.driverCuda
  );
  const driver = `${ctx.facts.driver.version ?? 'unknown'} (CUDA ${ctx.facts.driver.cuda_version ?? 'unknown'})`;
  const where = fromIndex
    ? `the ${variant} index`
    : ctx.os === 'windows'
      ? 'the default index (its Windows wheels are CPU-only)'
      : `the default index (torch ${row!.version}'s Linux wheel is built for CUDA ${row!.default_cuda})`;
  const packages = installs(command)
    .filter(r => r.name && TORCH_FAMILY.has(r.name))
    .map(r => `${r.name}${r.specifier.replace(/\+[a-z0-9.]+$/, '')}`);
  return [
    {
      id: 'pip-cpu-torch',
      severity: 'error',
      title: cpu
        ? 'This cell installs a CPU-only torch on a machine with an NVIDIA GPU'
        : `This cell installs a torch built for CUDA ${cudaString(cuda!)}, newer than the driver supports`,
      explanation: cpu
        ? `It installs from ${where}: torch.cuda.is_available() will be False and everything runs on the CPU.`
        : `It installs from ${where}, but the driver ${driver} supports CUDA up to ${ctx.facts.driver.cuda_version}: "CUDA driver version is insufficient for CUDA runtime version".`,
      evidence: [
        { label: 'this cell', value: `${req.text} from ${where}` },
        { label: 'driver', value: driver },
        {
          label: 'GPU',
          value: ctx.facts.gpus.map(g => g.name).join(', ') || 'driver present'
        }
      ],
      fixes: good
        ? [
            fix(
              `Install from the ${good} index, which this driver can run`,
              pip(...packages, '--index-url', torchIndexUrl(ctx, good)),
              RESTART
            )
          ]
        : [],
      verify: VERIFY.torch,
      sources: row ? [row.source] : [],
      restart: true,
      range: range(req)
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
      title: `Quote ${u.meant}: the shell reads ${u.redirect}${u.file} as a redirection`,
      explanation: output
        ? `Unquoted, the shell sends pip's output into a file named "${u.file}" and pip installs ${u.meant.split(/[<>]/)[0]} with no version constraint, so an old version can stay. Put the requirement in quotes.`
        : `Unquoted, the shell tries to read input from a file named "${u.file}"; the command fails with "No such file or directory" and nothing is installed. Put the requirement in quotes.`,
      evidence: [
        { label: 'written', value: u.meant },
        {
          label: 'the shell runs',
          value: `${u.meant.split(/[<>]/)[0]} ${u.redirect} ${u.file}`
        }
      ],
      fixes: step ? [fix('The same command, quoted', step)] : [],
      sources: [
        'https://pip.pypa.io/en/stable/user_guide/#installing-packages'
      ],
      range: range(u)
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
    const exact = exactVersion(req.specifier);
    if (req.name?.startsWith('nvidia-') && req.specifier) {
      add(req.name, req.specifier, req.text);
    } else if (req.name === 'tensorflow' && req.extras.includes('and-cuda')) {
      const row = exact
        ? tensorflowRow(ctx, exact)
        : ctx.table.tensorflow.rows.find(r => r.and_cuda);
      Object.entries(row?.and_cuda ?? {}).forEach(([n, s]) =>
        add(n, s, req.text)
      );
    } else if (
      req.name === 'torch' &&
      ctx.os === 'linux' &&
      !command.options.indexUrl
    ) {
      Object.entries(torchRow(ctx, exact)?.pins ?? {}).forEach(([n, s]) =>
        add(n, s, req.text)
      );
    } else if (
      req.name === 'jax' &&
      req.extras.some(e => /^cuda1[23]/.test(e))
    ) {
      const row = exact
        ? ctx.table.jax.rows.find(r => r.version === exact)
        : ctx.table.jax.rows.find(r => r.cuda12 || r.cuda13);
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
      title: `${by} would replace CUDA packages that ${framework} ${facts.version} needs`,
      explanation:
        `${clashes.map(c => `${c.name} ${c.ours.spec} (for ${c.ours.by}) cannot satisfy ${framework}'s ${c.theirs}`).join('; ')}. ` +
        `pip will replace them and ${framework} may fail to load its CUDA libraries afterwards. ` +
        'Use versions whose CUDA pins agree, or put the second framework in its own virtual environment and kernel.',
      evidence: clashes.map(c => ({
        label: c.name,
        value: `installed ${c.installed ?? 'none'}; ${framework} needs ${c.theirs}; this cell brings ${c.ours.spec}`
      })),
      fixes: [],
      verify: framework === 'torch' ? VERIFY.torch : VERIFY.tensorflow,
      sources: [],
      restart: true,
      range: range(req)
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
      title: `${list} ${changed.length > 1 ? 'are' : 'is'} already imported: restart the kernel after this cell`,
      explanation: `This kernel has already imported ${changed
        .map(r => `${r.name} ${imported.get(r.name!)}`)
        .join(
          ', '
        )}. A running Python process keeps the old version; the new one is used only after a restart.`,
      evidence: changed.map(r => ({
        label: r.name!,
        value: `imported; this cell: ${r.text}`
      })),
      fixes: [fix('Restart the kernel after the install', RESTART)],
      sources: [],
      restart: true,
      range: range(changed[0])
    }
  ];
};

export const PIP_RULES: PipRule[] = [
  pipUnquotedSpecifier,
  pipDowngrade,
  pipCpuTorch,
  pipBreaksCudaPins,
  pipRestartNeeded
];
