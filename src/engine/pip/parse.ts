/**
 * parseCell(text) -> the install plan of a notebook cell: every `pip`/`uv pip`/`conda` install or
 * uninstall in it, with requirements, options and positions. Never throws; what it cannot read
 * is listed in `unknown` rather than guessed.
 */
import { ILogicalLine, ISpan, IWord, lex, Token } from './shell';
import {
  IRequirementSpec,
  parseCondaSpec,
  parsePipRequirement
} from './requirement';

export type { ISpan } from './shell';

export interface IRequirement extends IRequirementSpec, ISpan {
  /** The argument as the shell passes it (quotes removed). */
  text: string;
  /** 1-based line in the cell. */
  line: number;
  /** Not named by the command: pip resolved it for these packages (the exact pre-flight). */
  pulledBy?: string[];
}

/** `pkg>=1.0` written without quotes: the shell reads `>=1.0` as a redirection. */
export interface IUnquotedSpecifier extends ISpan {
  /** What the user meant, e.g. `bitsandbytes>=0.43.1`. */
  meant: string;
  /** What the shell does instead, e.g. `>` into a file named `=0.43.1`. */
  redirect: string;
  file: string;
  line: number;
}

export interface IUnknown extends ISpan {
  text: string;
  reason: string;
}

export interface IInstallOptions {
  upgrade: boolean;
  forceReinstall: boolean;
  noDeps: boolean;
  pre: boolean;
  user: boolean;
  dryRun: boolean;
  indexUrl: string | null;
  extraIndexUrls: string[];
  findLinks: string[];
  requirementFiles: string[];
  constraintFiles: string[];
  channels: string[];
}

export interface IInstallCommand extends ISpan {
  tool: 'pip' | 'uv' | 'conda';
  action: 'install' | 'uninstall';
  /** How the line runs: `!` shell, `%` magic, `%%` shell cell, '' a bare `pip` (IPython automagic). */
  magic: '!' | '%' | '%%' | '';
  /** 1-based line of the command's start in the cell. */
  line: number;
  /** The arguments after `pip`/`uv pip`/`conda` as written, and where they start in the cell. */
  args: { from: number; text: string };
  /** The same as the command receives them (quotes removed); null when one is only known at run time (`{var}`, `$X`). */
  argv: string[] | null;
  requirements: IRequirement[];
  options: IInstallOptions;
  unquoted: IUnquotedSpecifier[];
  unknown: IUnknown[];
}

export interface IInstallPlan {
  commands: IInstallCommand[];
  /** Lines that look like an install but could not be read. */
  unknown: IUnknown[];
}

const PREFIX =
  /^(\s*)(?:[A-Za-z_]\w*\s*=\s*)?(!!?|%(?=(?:pip|conda|mamba|micromamba|uv)\b)|(?=(?:pip3?|conda|mamba|uv)\s+(?:install|uninstall|remove|pip)\b))/;
const SHELL_CELL = /^%%(?:bash|sh|script\s+(?:ba)?sh|system)\b/;

/** Cell text -> logical lines: a `\` at the end of a line continues it on the next. */
function logicalLines(text: string): { line: number; logical: ILogicalLine }[] {
  const result: { line: number; logical: ILogicalLine }[] = [];
  let current: ILogicalLine | null = null;
  let startLine = 1;
  let lineNo = 1;
  let offset = 0;
  for (const raw of text.split('\n')) {
    const continued = /(^|[^\\])(\\\\)*\\$/.test(raw);
    const body = continued ? raw.slice(0, -1) : raw;
    if (!current) {
      current = { text: '', offsets: [] };
      startLine = lineNo;
    } else {
      current.text += ' ';
      current.offsets.push(offset - 1);
    }
    current.text += body;
    for (let i = 0; i < body.length; i++) {
      current.offsets.push(offset + i);
    }
    if (!continued) {
      result.push({ line: startLine, logical: current });
      current = null;
    }
    offset += raw.length + 1;
    lineNo++;
  }
  if (current) {
    result.push({ line: startLine, logical: current });
  }
  return result;
}

function slice(line: ILogicalLine, start: number): ILogicalLine {
  return { text: line.text.slice(start), offsets: line.offsets.slice(start) };
}

const SEPARATORS = new Set(['&&', '||', ';', '|', '&']);

interface ISimpleCommand {
  words: IWord[];
  redirections: { op: Token; target: IWord | null; after: IWord | null }[];
}

function simpleCommands(tokens: Token[]): ISimpleCommand[] {
  const commands: ISimpleCommand[] = [{ words: [], redirections: [] }];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const current = commands[commands.length - 1];
    if (token.kind === 'word') {
      current.words.push(token);
    } else if (SEPARATORS.has(token.text)) {
      commands.push({ words: [], redirections: [] });
    } else {
      const target =
        tokens[i + 1]?.kind === 'word' ? (tokens[++i] as IWord) : null;
      const previous = tokens[i - (target ? 2 : 1)];
      current.redirections.push({
        op: token,
        target,
        after: token.glued && previous?.kind === 'word' ? previous : null
      });
    }
  }
  return commands.filter(c => c.words.length);
}

const PYTHON = /^(?:.*\/)?python(?:\d+(?:\.\d+)?)?(?:\.exe)?$/;
const PIP = /^(?:.*\/)?pip(?:\d+(?:\.\d+)?)?$/;

/** Where the pip/conda arguments start in a command, and which tool it is. */
function recognise(
  words: IWord[]
): { tool: IInstallCommand['tool']; args: number } | null {
  let i = 0;
  while (
    i < words.length &&
    (/^[A-Za-z_]\w*=/.test(words[i].text) ||
      ['sudo', 'env', 'time'].includes(words[i].text))
  ) {
    i++;
  }
  const first = words[i]?.text ?? '';
  if (PIP.test(first)) {
    return { tool: 'pip', args: i + 1 };
  }
  if (first === 'uv' && words[i + 1]?.text === 'pip') {
    return { tool: 'uv', args: i + 2 };
  }
  if (['conda', 'mamba', 'micromamba'].includes(first)) {
    return { tool: 'conda', args: i + 1 };
  }
  const isPython =
    PYTHON.test(first) ||
    /^\{\s*sys\.executable\s*\}$/.test(first) ||
    first === '$PYTHON';
  if (isPython) {
    for (let j = i + 1; j < words.length; j++) {
      const w = words[j].text;
      if (w === '-m' && words[j + 1]?.text === 'pip') {
        return { tool: 'pip', args: j + 2 };
      }
      if (w === '-mpip') {
        return { tool: 'pip', args: j + 1 };
      }
      if (!/^-[A-Za-z]+$/.test(w)) {
        break;
      }
    }
  }
  return null;
}

/** pip/uv options that take a value, by every spelling. */
const PIP_VALUE: Record<string, keyof IInstallOptions | null> = {
  '-i': 'indexUrl',
  '--index-url': 'indexUrl',
  '--extra-index-url': 'extraIndexUrls',
  '-f': 'findLinks',
  '--find-links': 'findLinks',
  '-r': 'requirementFiles',
  '--requirement': 'requirementFiles',
  '-c': 'constraintFiles',
  '--constraint': 'constraintFiles',
  '-t': null,
  '--target': null,
  '--prefix': null,
  '--root': null,
  '--src': null,
  '--python-version': null,
  '--platform': null,
  '--implementation': null,
  '--abi': null,
  '--only-binary': null,
  '--no-binary': null,
  '--trusted-host': null,
  '--progress-bar': null,
  '--upgrade-strategy': null,
  '--cache-dir': null,
  '--log': null,
  '--timeout': null,
  '--retries': null,
  '--proxy': null,
  '--config-settings': null,
  '-C': null,
  '--report': null,
  '--root-user-action': null,
  '--python': null,
  '-p': null,
  '--index-strategy': null,
  '--keyring-provider': null,
  '--exists-action': null,
  '--cert': null,
  '--client-cert': null,
  '--global-option': null
};

const PIP_FLAGS: Record<string, keyof IInstallOptions | null> = {
  '-U': 'upgrade',
  '--upgrade': 'upgrade',
  '--force-reinstall': 'forceReinstall',
  '--reinstall': 'forceReinstall',
  '--no-deps': 'noDeps',
  '--pre': 'pre',
  '--prerelease=allow': 'pre',
  '--user': 'user',
  '--dry-run': 'dryRun',
  '-q': null,
  '-qq': null,
  '-qqq': null,
  '--quiet': null,
  '-v': null,
  '--verbose': null,
  '-y': null,
  '--yes': null,
  '-I': null,
  '--ignore-installed': null,
  '--no-cache-dir': null,
  '--no-cache': null,
  '--no-build-isolation': null,
  '--break-system-packages': null,
  '--system': null,
  '--no-warn-script-location': null,
  '--disable-pip-version-check': null,
  '--no-input': null,
  '--isolated': null,
  '--no-color': null,
  '--compile': null,
  '--no-compile': null,
  '--prefer-binary': null,
  '--require-hashes': null,
  '--no-index': null,
  '--use-pep517': null,
  '--no-clean': null,
  '--ignore-requires-python': null,
  '--root-user-action=ignore': null
};

const CONDA_VALUE: Record<string, keyof IInstallOptions | null> = {
  '-c': 'channels',
  '--channel': 'channels',
  '-n': null,
  '--name': null,
  '-p': null,
  '--prefix': null,
  '--file': 'requirementFiles',
  '--solver': null,
  '--repodata-fn': null
};

const CONDA_FLAGS: Record<string, keyof IInstallOptions | null> = {
  '-y': null,
  '--yes': null,
  '-q': null,
  '--quiet': null,
  '--force-reinstall': 'forceReinstall',
  '--no-deps': 'noDeps',
  '--update-deps': 'upgrade',
  '--override-channels': null,
  '--freeze-installed': null,
  '--no-update-deps': null,
  '-S': null,
  '--satisfied-skip-solve': null,
  '--dry-run': 'dryRun',
  '--strict-channel-priority': null,
  '--all': null
};

function emptyOptions(): IInstallOptions {
  return {
    upgrade: false,
    forceReinstall: false,
    noDeps: false,
    pre: false,
    user: false,
    dryRun: false,
    indexUrl: null,
    extraIndexUrls: [],
    findLinks: [],
    requirementFiles: [],
    constraintFiles: [],
    channels: []
  };
}

function setOption(
  options: IInstallOptions,
  key: keyof IInstallOptions | null,
  value: string | true
) {
  if (!key) {
    return;
  }
  const current = options[key];
  if (Array.isArray(current)) {
    current.push(String(value));
  } else if (key === 'indexUrl') {
    options.indexUrl = String(value);
  } else {
    (options[key] as boolean) = true;
  }
}

/** Read the words after `pip`/`uv pip`/`conda`: returns null for subcommands other than install/uninstall. */
function readArguments(
  tool: IInstallCommand['tool'],
  words: IWord[]
): Pick<
  IInstallCommand,
  'action' | 'requirements' | 'options' | 'unknown'
> | null {
  const values = tool === 'conda' ? CONDA_VALUE : PIP_VALUE;
  const flags = tool === 'conda' ? CONDA_FLAGS : PIP_FLAGS;
  const options = emptyOptions();
  const requirements: IRequirement[] = [];
  const unknown: IUnknown[] = [];
  let action: IInstallCommand['action'] | null = null;
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    const text = word.text;
    if (word.dynamic) {
      unknown.push({
        text,
        from: word.from,
        to: word.to,
        reason: 'its value is only known when the cell runs'
      });
      continue;
    }
    if (text.startsWith('-') && text.length > 1) {
      const eq = text.indexOf('=');
      const name = text.startsWith('--') && eq > 0 ? text.slice(0, eq) : text;
      if (name in values) {
        const value = name === text ? words[++i]?.text : text.slice(eq + 1);
        if (value === undefined) {
          unknown.push({
            text,
            from: word.from,
            to: word.to,
            reason: 'the option has no value'
          });
        } else {
          setOption(options, values[name], value);
        }
      } else if (text in flags) {
        setOption(options, flags[text], true);
      } else if (
        /^-[A-Za-z]{2,}$/.test(text) &&
        [...text.slice(1)].every(c => `-${c}` in flags)
      ) {
        [...text.slice(1)].forEach(c =>
          setOption(options, flags[`-${c}`], true)
        ); // -qU
      } else if (name.startsWith('--') && eq > 0 && name in flags) {
        setOption(options, flags[name], true);
      } else {
        unknown.push({
          text,
          from: word.from,
          to: word.to,
          reason: 'an option this checker does not know'
        });
      }
      continue;
    }
    if (action === null) {
      if (text === 'install' || (tool === 'conda' && text === 'update')) {
        action = 'install';
        continue;
      }
      if (text === 'uninstall' || (tool === 'conda' && text === 'remove')) {
        action = 'uninstall';
        continue;
      }
      return null; // pip list, pip show, conda env …: nothing to check
    }
    // `name @ url` written unquoted is three words.
    let end = word.to;
    let argument = text;
    if (words[i + 1]?.text === '@' && words[i + 2]) {
      argument = `${text} @ ${words[i + 2].text}`;
      end = words[i + 2].to;
      i += 2;
    }
    const spec =
      tool === 'conda'
        ? parseCondaSpec(argument)
        : parsePipRequirement(argument);
    if (typeof spec === 'string') {
      unknown.push({ text: argument, from: word.from, to: end, reason: spec });
    } else {
      requirements.push({
        ...spec,
        text: argument,
        from: word.from,
        to: end,
        line: 0
      });
    }
  }
  return action ? { action, requirements, options, unknown } : null;
}

/** A glued redirection right after a requirement name is a specifier the shell swallowed. */
function unquotedSpecifiers(
  command: ISimpleCommand,
  cell: string
): IUnquotedSpecifier[] {
  const found: IUnquotedSpecifier[] = [];
  for (const { op, target, after } of command.redirections) {
    if (!after || !target || (op.text !== '>' && op.text !== '<')) {
      continue;
    }
    if (!/^[=0-9]/.test(target.text) && !/^[A-Za-z]/.test(after.text)) {
      continue;
    }
    const previous = found[found.length - 1];
    // `pkg>=1,<2` is two redirections in a row: one argument to quote.
    if (previous && previous.to === after.to) {
      previous.to = target.to;
      previous.meant = cell.slice(previous.from, previous.to);
      continue;
    }
    found.push({
      from: after.from,
      to: target.to,
      meant: cell.slice(after.from, target.to),
      redirect: op.text,
      file: target.text,
      line: 0
    });
  }
  return found;
}

/** offset -> 1-based line number, by binary search over the line starts. */
function lineFinder(cell: string): (offset: number) => number {
  const starts = [0];
  for (let i = cell.indexOf('\n'); i >= 0; i = cell.indexOf('\n', i + 1)) {
    starts.push(i + 1);
  }
  return offset => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo + 1;
  };
}

export function parseCell(cell: string): IInstallPlan {
  const plan: IInstallPlan = { commands: [], unknown: [] };
  const lines = logicalLines(cell);
  const lineOf = lineFinder(cell);
  const shellCell = SHELL_CELL.test(lines[0]?.logical.text ?? '');
  for (const { line, logical } of shellCell ? lines.slice(1) : lines) {
    const prefix = shellCell ? null : PREFIX.exec(logical.text);
    if (!shellCell && !prefix) {
      continue;
    }
    const magic: IInstallCommand['magic'] = shellCell
      ? '%%'
      : prefix![2].startsWith('!')
        ? '!'
        : prefix![2] === '%'
          ? '%'
          : '';
    const body = slice(logical, prefix ? prefix[0].length : 0);
    const lexed = lex(body);
    for (const command of simpleCommands(lexed.tokens)) {
      const recognised = recognise(command.words);
      if (!recognised) {
        continue;
      }
      const args = readArguments(
        recognised.tool,
        command.words.slice(recognised.args)
      );
      if (!args) {
        continue;
      }
      const words = command.words;
      const to = Math.max(
        words[words.length - 1].to,
        ...command.redirections.map(r => r.target?.to ?? r.op.to)
      );
      const argsFrom = words[recognised.args]?.from ?? to;
      plan.commands.push({
        tool: recognised.tool,
        magic,
        line,
        from: words[0].from,
        to,
        args: { from: argsFrom, text: cell.slice(argsFrom, to) },
        argv: words.slice(recognised.args).some(w => w.dynamic)
          ? null
          : words.slice(recognised.args).map(w => w.text),
        ...args,
        requirements: args.requirements.map(r => ({
          ...r,
          line: lineOf(r.from)
        })),
        unquoted: unquotedSpecifiers(command, cell).map(u => ({
          ...u,
          line: lineOf(u.from)
        }))
      });
    }
    if (lexed.error && /\b(pip|conda|mamba|uv)\b/.test(body.text)) {
      plan.unknown.push({
        text: body.text,
        from: body.offsets[0] ?? 0,
        to: (body.offsets[body.offsets.length - 1] ?? 0) + 1,
        reason: lexed.error
      });
    }
  }
  return plan;
}
