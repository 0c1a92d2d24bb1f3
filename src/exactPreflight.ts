/**
 * The exact pre-flight in JupyterLab: once a cell's text has rested (or when the cell is run), the
 * server extension asks the kernel's own pip what each install command would change (POST
 * /gpu-compat/resolve, a dry run), and the engine judges the exact versions. Until the answer is
 * in, the static check stands; when it arrives, `ready` is called so the editor and the
 * notification show the exact result. Nothing is installed, and the cell still runs as written.
 */
import { ServerConnection } from '@jupyterlab/services';
import { IFacts } from './engine/facts';
import { IInstallCommand, parseCell } from './engine/pip/parse';
import {
  IResolvedChange,
  PipAnswer,
  preflightConfirmed
} from './engine/resolved';
import { ICompatTable } from './engine/table';
import { IFinding } from './engine/types';

/** How long a cell's text must stay the same before pip is asked (typing must not start a resolution). */
const REST_MS = 1500;

interface IEntry {
  /** null while pip is being asked. */
  findings: IFinding[] | null;
  /** What pip would change, per resolved command, in the cell's order; null: pip resolved none. */
  changes: IResolvedChange[] | null;
  done: Promise<void>;
}

export class ExactPreflight {
  constructor(
    private _settings: ServerConnection.ISettings,
    private _table: () => ICompatTable
  ) {}

  /** Resolution on or off (a setting). */
  enabled = true;

  /** The pip time limit, seconds. */
  timeoutSeconds = 20;

  /**
   * The exact findings of a cell's text, when pip has answered; null while it has not (then it is
   * asked once the text rests, or at once when `now`, and `ready` is called with the answer).
   */
  findings(
    facts: IFacts,
    source: string,
    ready: () => void,
    now = false
  ): IFinding[] | null {
    if (!this.enabled || !facts.python.executable) {
      return null;
    }
    const commands = parseCell(source).commands.filter(
      c =>
        (c.tool === 'pip' || c.tool === 'uv') &&
        c.action === 'install' &&
        c.argv
    );
    if (!commands.length) {
      return null;
    }
    const known = this._entries(facts).get(source);
    if (known) {
      if (!known.findings) {
        void known.done.then(ready);
      }
      return known.findings;
    }
    clearTimeout(this._timer);
    if (now) {
      void this._resolve(facts, source, commands).then(ready);
    } else {
      this._timer = setTimeout(() => {
        void this._resolve(facts, source, commands).then(ready);
      }, REST_MS);
    }
    return null;
  }

  /** What pip said the cell would change, once it answered; null where it resolved none of it. */
  changes(facts: IFacts, source: string): IResolvedChange[] | null {
    return this._entries(facts).get(source)?.changes ?? null;
  }

  private _entries(facts: IFacts): Map<string, IEntry> {
    let entries = this._byFacts.get(facts);
    if (!entries) {
      entries = new Map();
      this._byFacts.set(facts, entries);
    }
    return entries;
  }

  private _resolve(
    facts: IFacts,
    source: string,
    commands: IInstallCommand[]
  ): Promise<void> {
    const entry: IEntry = {
      findings: null,
      changes: null,
      done: Promise.resolve()
    };
    entry.done = this._judge(facts, source, commands, entry);
    this._entries(facts).set(source, entry);
    return entry.done;
  }

  private async _judge(
    facts: IFacts,
    source: string,
    commands: IInstallCommand[],
    entry: IEntry
  ): Promise<void> {
    const answers = new Map<IInstallCommand, PipAnswer>();
    for (const command of commands) {
      answers.set(
        command,
        await this._ask(
          facts.python.executable,
          command.tool,
          command.argv!.slice(1)
        )
      );
    }
    // Fixes only pip can confirm are resolved too, through the same server extension.
    const { findings, resolution } = await preflightConfirmed(
      facts,
      this._table(),
      parseCell(source),
      command => answers.get(commands.find(c => c.from === command.from)!),
      command =>
        this._ask(facts.python.executable, command.tool, command.argv!.slice(1))
    );
    entry.changes = resolution.some(r => r.exact)
      ? resolution.flatMap(r => r.changes ?? [])
      : null;
    entry.findings = findings;
  }

  private async _ask(
    python: string,
    tool: string,
    args: string[]
  ): Promise<PipAnswer> {
    try {
      const response = await ServerConnection.makeRequest(
        `${this._settings.baseUrl}gpu-compat/resolve`,
        {
          method: 'POST',
          body: JSON.stringify({
            python,
            tool,
            args,
            timeout: this.timeoutSeconds
          })
        },
        this._settings
      );
      if (!response.ok) {
        return {
          ok: false,
          reason: `the server could not resolve it (HTTP ${response.status}; is the server extension enabled?)`
        };
      }
      return (await response.json()) as PipAnswer;
    } catch (error) {
      return {
        ok: false,
        reason: `the server did not answer: ${(error as Error).message}`
      };
    }
  }

  private _byFacts = new WeakMap<IFacts, Map<string, IEntry>>();
  private _timer: ReturnType<typeof setTimeout> | undefined;
}
