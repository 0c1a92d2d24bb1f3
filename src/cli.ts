#!/usr/bin/env node
/**
 * The engine from the command line, for CI and container images:
 *   python -m jupyterlab_gpu_compat.probe | npx jupyterlab-gpu-compat diagnose -
 *   npx jupyterlab-gpu-compat preflight --facts facts.json --cell '!pip install tensorflow==2.15.1'
 *   npx jupyterlab-gpu-compat explain --output log.txt [--facts facts.json]
 * Exit status: 0 nothing wrong, 1 errors found, 2 bad input.
 */
import { existsSync, readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { diagnose, preflight } from './engine/diagnose';
import { IFacts, parseFacts, unknownFacts } from './engine/facts';
import { explainOutput } from './engine/outputs';
import { hostedPackages } from './engine/hostedPackages';
import { targetFacts } from './engine/targets';
import { preflightConfirmed } from './engine/resolved';
import { Resolution, resolveWithPip } from './resolver';
import { IInstallCommand, IInstallPlan, parseCell } from './engine/pip/parse';
import { renderShell } from './engine/fixes';
import { bundledTable, parseTable, tableDate } from './engine/table';
import { IShownFinding, showFinding } from './engine/shown';
import {
  catalogueLanguage,
  catalogueTranslator,
  Arg,
  english,
  render,
  t,
  Translate
} from './engine/text';
import { IFinding } from './engine/types';

import { version as VERSION } from './_generated/version.json';

const HELP: Record<string, string> = {
  diagnose: `jupyterlab-gpu-compat diagnose (--facts FILE | FILE | -) [--json]
  The findings for the facts the probe printed (\`python -m jupyterlab_gpu_compat.probe\`).`,
  preflight: `jupyterlab-gpu-compat preflight [--facts FILE | --target RUNTIME[@YYYY-MM|@YYYY.MM][/GPU]] (--cell TEXT | --notebook FILE.ipynb)
                                    [--resolve --python PATH [--timeout SECONDS]] [--json]
  What install commands would do, before they run. Without --facts only the checks that need no
  environment run (quoting, no wheel for a pinned Python is not known). With --resolve, that
  Python's own pip resolves each pip install (--dry-run --report: nothing is installed) and the
  exact versions it would install are judged; where it cannot (offline, past the time limit), the
  static check stands and the output says why. --target checks the cells against a hosted runtime
  instead of this machine: its published package list of that month (or pinnable runtime version,
  colab@2025.07), else the table's history of its frameworks (kaggle), and its GPU and driver where
  known (/GPU picks one of its GPU pools: kaggle@2026-06/p100);
  a tutorial's install cells in CI, exit 1 when one would break it.`,
  explain: `jupyterlab-gpu-compat explain --output LOG|- [--facts FILE] [--json]
  The known GPU error lines of a log or cell output, and pasted reports in it (collect_env,
  nvidia-smi, pip list, conda list, accelerate env, python -m bitsandbytes,
  jax.print_environment_info()) read as facts and diagnosed: \`explain --output issue.txt\`.`,
  table: `jupyterlab-gpu-compat table [--check FILE]
  Prints the bundled compatibility table (the format of a newer one), or checks a candidate
  table against the schema: exit 0 when it is valid, 2 with the fields that fail.`
};

const USAGE = `usage:
${Object.values(HELP)
  .map(text => `  ${text.split('\n')[0]}`)
  .join('\n')}
  jupyterlab-gpu-compat --help | COMMAND --help | --version
Every command takes --lang LANG (zh_CN, en; else $LANGUAGE, $LC_ALL, $LC_MESSAGES, $LANG).
FILE holds the JSON printed by \`python -m jupyterlab_gpu_compat.probe\`; - reads stdin.
Exit status: 0 nothing wrong, 1 errors found, 2 bad input.`;

/** Bad input: its message is shown in the reader's language, with a hint to --help. */
class UsageError extends Error {
  constructor(readonly text: Arg) {
    super(render(text));
  }
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function readInput(path: string): unknown {
  const text = readFileSync(path === '-' ? 0 : path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      t(
        '%1 is not JSON: %2',
        path === '-' ? t('stdin') : path,
        (error as Error).message
      )
    );
  }
}

/** The catalogues: beside the bundled cli.js in the Python package, else in the source tree (src/, build/cli/). */
const LOCALE_DIRS = [
  join(__dirname, 'locale'),
  join(__dirname, '..', 'jupyterlab_gpu_compat', 'locale'),
  join(__dirname, '..', '..', 'jupyterlab_gpu_compat', 'locale')
];

/** --lang, else the environment's locale, as gettext reads it. */
function translatorFor(args: string[]): Translate {
  const env = process.env;
  const locale =
    option(args, '--lang') ??
    [env.LANGUAGE?.split(':')[0], env.LC_ALL, env.LC_MESSAGES, env.LANG].find(
      Boolean
    );
  for (const dir of LOCALE_DIRS) {
    const available = existsSync(dir) ? readdirSync(dir) : [];
    const lang = catalogueLanguage(locale, available);
    const file = lang
      ? join(dir, lang, 'LC_MESSAGES', 'jupyterlab_gpu_compat.json')
      : null;
    if (file && existsSync(file)) {
      return catalogueTranslator(JSON.parse(readFileSync(file, 'utf8')));
    }
  }
  return english;
}

function report(findings: IFinding[], tr: Translate): string {
  if (!findings.length) {
    return tr('No problems found.');
  }
  return findings
    .map(finding => {
      const f = showFinding(finding, tr);
      const lines = [
        `${f.severity.toUpperCase()} ${f.id}: ${f.title}`,
        `  ${f.explanation}`
      ];
      f.evidence.forEach(e => lines.push(`  - ${e.label}: ${e.value}`));
      finding.fixes.forEach(fix =>
        lines.push(
          tr('  fix: %1', render(fix.title, tr)),
          ...renderShell(fix, tr)
            .split('\n')
            .map(l => `    ${l}`)
        )
      );
      return lines.join('\n');
    })
    .join('\n\n');
}

/** What went wrong, for stderr: bad input with the hint to --help, a file error, or a bug. */
function failure(error: unknown, tr: Translate): string {
  if (error instanceof UsageError) {
    return `${render(error.text, tr)}\n${tr('Run jupyterlab-gpu-compat --help for the usage.')}`;
  }
  return (error as NodeJS.ErrnoException).code
    ? (error as Error).message
    : tr('internal error: %1', String((error as Error).stack ?? error));
}

/** Findings as text in the reader's language, beside their stable ids (--json). */
function shown(findings: IFinding[], tr: Translate): IShownFinding[] {
  return findings.map(f => showFinding(f, tr));
}

function loadFacts(source: string): IFacts {
  const parsed = parseFacts(readInput(source));
  if (!parsed.ok) {
    throw new UsageError(parsed.error);
  }
  return parsed.value;
}

/** Every install command of a notebook's code cells, as one plan. */
function notebookPlan(path: string): IInstallPlan {
  const notebook = readInput(path) as {
    cells?: { cell_type?: string; source?: string | string[] }[];
  };
  if (!Array.isArray(notebook?.cells)) {
    throw new UsageError(t('%1 is not a notebook (no "cells" list)', path));
  }
  const plan: IInstallPlan = { commands: [], unknown: [] };
  for (const cell of notebook.cells.filter(c => c.cell_type === 'code')) {
    const source = Array.isArray(cell.source)
      ? cell.source.join('')
      : String(cell.source ?? '');
    const cellPlan = parseCell(source);
    plan.commands.push(...cellPlan.commands);
    plan.unknown.push(...cellPlan.unknown);
  }
  return plan;
}

/** The facts a command is about: a hosted runtime (--target), a probe's file (--facts), or none. */
function factsOf(args: string[]): IFacts {
  const target = option(args, '--target');
  const factsPath = option(args, '--facts');
  if (target !== undefined) {
    const targeted = targetFacts(bundledTable(), target, hostedPackages());
    if (!targeted.ok) {
      throw new UsageError(targeted.error);
    }
    return targeted.value;
  }
  return factsPath ? loadFacts(factsPath) : unknownFacts();
}

/** The install commands preflight checks: one cell's, or every code cell's of a notebook. */
function planOf(args: string[]): IInstallPlan {
  const cell = option(args, '--cell');
  const notebook = option(args, '--notebook');
  if (cell === undefined && notebook === undefined) {
    throw new UsageError(t('preflight needs --cell TEXT or --notebook FILE'));
  }
  return notebook !== undefined ? notebookPlan(notebook) : parseCell(cell!);
}

function run(
  command: string | undefined,
  args: string[],
  tr: Translate
): { findings: IFinding[]; extra?: object; before?: string } {
  const factsPath = option(args, '--facts');
  if (command === 'diagnose') {
    const source =
      factsPath ?? args.find(a => a === '-' || !a.startsWith('--'));
    if (!source) {
      throw new UsageError(t('diagnose needs --facts FILE or -'));
    }
    return { findings: diagnose(loadFacts(source), bundledTable()) };
  }
  const facts = factsOf(args);
  if (command === 'preflight') {
    const plan = planOf(args);
    const unknown = plan.unknown.map(u =>
      tr('could not read: %1 (%2)', u.text, u.reason)
    );
    return {
      findings: preflight(facts, bundledTable(), plan),
      extra: { commands: plan.commands.length, unknown: plan.unknown },
      before: unknown.join('\n')
    };
  }
  if (command === 'explain') {
    const output = option(args, '--output');
    if (output === undefined) {
      throw new UsageError(t('explain needs --output LOG or -'));
    }
    const text = readFileSync(output === '-' ? 0 : output, 'utf8');
    const { matches, findings } = explainOutput(
      text,
      factsPath ? facts : null,
      bundledTable()
    );
    return {
      findings,
      extra: {
        matches: matches.map(m => ({ ...m, note: render(m.note, tr) }))
      },
      before: matches
        .map(m =>
          tr(
            'line %1: %2 - %3',
            String(m.line),
            m.benign ? tr('benign') : m.id,
            render(m.note, tr)
          )
        )
        .join('\n')
    };
  }
  throw new UsageError(
    command ? t('unknown command: %1', command) : t('no command given')
  );
}

/** `table`: print the bundled table, or check a candidate (`--check FILE`). */
function table(args: string[], tr: Translate): number {
  const candidate = option(args, '--check');
  if (candidate === undefined) {
    process.stdout.write(JSON.stringify(bundledTable(), null, 2) + '\n');
    return 0;
  }
  const parsed = parseTable(readInput(candidate));
  if (!parsed.ok) {
    throw new UsageError(parsed.error);
  }
  process.stdout.write(
    tr(
      '%1: a valid compatibility table, made %2',
      candidate,
      tableDate(parsed.value)
    ) + '\n'
  );
  return 0;
}

export function main(argv: string[]): number {
  const [command, ...args] = argv;
  const tr = translatorFor(args);
  if (!command) {
    process.stderr.write(
      `jupyterlab-gpu-compat: ${tr('no command given')}\n${USAGE}\n`
    );
    return 2;
  }
  if (command === '--help' || command === '-h') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (command === '--version') {
    process.stdout.write(`jupyterlab-gpu-compat ${VERSION}\n`);
    return 0;
  }
  if (HELP[command] && (args.includes('--help') || args.includes('-h'))) {
    process.stdout.write(HELP[command] + '\n');
    return 0;
  }
  try {
    if (command === 'table') {
      return table(args, tr);
    }
    const { findings, extra, before } = run(command, args, tr);
    if (args.includes('--json')) {
      process.stdout.write(
        JSON.stringify(
          {
            table_date: tableDate(bundledTable()),
            findings: shown(findings, tr),
            ...extra
          },
          null,
          2
        ) + '\n'
      );
    } else {
      process.stdout.write(
        (before ? `${before}\n\n` : '') +
          report(findings, tr) +
          '\n' +
          tr('(compatibility table of %1)', tableDate(bundledTable())) +
          '\n'
      );
    }
    return findings.some(f => f.severity === 'error') ? 1 : 0;
  } catch (error) {
    process.stderr.write(`jupyterlab-gpu-compat: ${failure(error, tr)}\n`);
    return 2;
  }
}

/**
 * `preflight --resolve`: each pip install of the plan resolved by that Python's pip and judged on
 * the exact versions; the static findings stand for what could not be resolved, with the reason.
 */
export async function preflightWithResolver(args: string[]): Promise<number> {
  try {
    const python = option(args, '--python');
    if (!python) {
      throw new UsageError(
        t("--resolve needs --python PATH (the kernel's interpreter)")
      );
    }
    const timeout = Number(option(args, '--timeout') ?? '20') * 1000;
    const tr = translatorFor(args);
    const facts = factsOf(args);
    const plan = planOf(args);
    const table = bundledTable();
    const answers = new Map<IInstallCommand, Resolution>();
    for (const command of plan.commands) {
      answers.set(command, await resolveWithPip(python, command, timeout));
    }
    // Fixes only pip can confirm are resolved too, in the same way.
    const checked = await preflightConfirmed(
      facts,
      table,
      plan,
      command => answers.get(command),
      command => resolveWithPip(python, command, timeout)
    );
    const findings = checked.findings;
    const resolution = checked.resolution.map(r => ({
      command: r.command.args.text,
      exact: r.exact,
      ...(r.reason ? { reason: r.reason } : {})
    }));
    const notes = resolution.map(r =>
      r.exact
        ? tr('exact: pip resolved `%1`', r.command)
        : tr(
            'static only: `%1` could not be resolved: %2',
            r.command,
            r.reason ?? ''
          )
    );
    if (args.includes('--json')) {
      process.stdout.write(
        JSON.stringify(
          {
            table_date: tableDate(table),
            findings: shown(findings, tr),
            resolution
          },
          null,
          2
        ) + '\n'
      );
    } else {
      process.stdout.write(
        `${notes.join('\n')}\n\n${report(findings, tr)}\n` +
          tr('(compatibility table of %1)', tableDate(table)) +
          '\n'
      );
    }
    return findings.some(f => f.severity === 'error') ? 1 : 0;
  } catch (error) {
    process.stderr.write(
      `jupyterlab-gpu-compat: ${failure(error, translatorFor(args))}\n`
    );
    return 2;
  }
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv[0] === 'preflight' && argv.includes('--resolve')) {
    void preflightWithResolver(argv.slice(1)).then(code => {
      process.exitCode = code;
    });
  } else {
    process.exitCode = main(argv);
  }
}
