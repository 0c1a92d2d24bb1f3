/**
 * One probe result per notebook, kept up to date with its kernel: probed when the kernel is
 * ready, after a restart, after an install cell ran, and on demand. Also what each cell's install
 * commands (checked when it is scheduled) and outputs (when it has run) revealed. Feeds the
 * sidebar and the status-bar item through `changed`, notifications through `cellChecked`.
 */
import {
  NotebookActions,
  NotebookPanel,
  INotebookTracker
} from '@jupyterlab/notebook';
import { Cell } from '@jupyterlab/cells';
import { Kernel } from '@jupyterlab/services';
import { cellIndex } from './cells';
import { ISignal, Signal } from '@lumino/signaling';
import { diagnose, preflightCell } from './engine/diagnose';
import { ExactPreflight } from './exactPreflight';
import { IFacts, unknownFacts } from './engine/facts';
import {
  explainOutput,
  IOutputExplanation,
  outputProblems
} from './engine/outputs';
import { IResolvedChange } from './engine/resolved';
import { ICompatTable } from './engine/table';
import {
  IRuntimePackages,
  ITargetChoice,
  targetChoices,
  targetFacts
} from './engine/targets';
import { IFinding } from './engine/types';
import { ProbeOutcome, runProbe } from './kernel/probeRunner';

export type ProbeStatus =
  | { kind: 'no-notebook' }
  | { kind: 'no-kernel' }
  /** Sent, not started: the kernel is busy with other cells, or still starting. */
  | { kind: 'queued'; kernelStatus: Kernel.Status }
  | { kind: 'running' }
  | Exclude<ProbeOutcome, { kind: 'ready' }>
  | { kind: 'ready'; facts: IFacts; findings: IFinding[]; roundTripMs: number };

/**
 * A cell that may have installed something, so the kernel is probed again after it ran. Broader
 * than the pip parser on purpose (any line naming pip/uv/conda/mamba and install): one probe too
 * many costs milliseconds.
 */
const INSTALL_CELL = /(^|[\s!%])(pip3?|uv|conda|mamba)\b[^\n]*\binstall\b/m;

/** The notebook metadata key of the hosted runtime its install cells are checked for. */
export const TARGET_METADATA = 'gpu_compat';

/** What one cell revealed: its install commands' findings and what its output showed. */
export interface ICellReport {
  cellId: string;
  pip: IFinding[];
  output: IOutputExplanation | null;
}

export interface ICellChecked {
  panel: NotebookPanel;
  cell: Cell;
  /** New findings of this check (install commands when scheduled, output when run). */
  findings: IFinding[];
  origin: 'pip' | 'output';
  /** pip's own answer replaced the static check: what it would change. */
  exact?: { changes: IResolvedChange[] };
}

export class GpuCompatModel {
  constructor(options: GpuCompatModel.IOptions) {
    this._tracker = options.tracker;
    this._table = options.table;
    this.timeoutMs = options.timeoutMs ?? 20000;
    this._tracker.widgetAdded.connect((_, panel) => this._watch(panel), this);
    this._tracker.currentChanged.connect(() => this._changed.emit(), this);
    this._tracker.forEach(panel => this._watch(panel));
    NotebookActions.executed.connect(this._onExecuted, this);
    NotebookActions.executionScheduled.connect(this._onScheduled, this);
    // The runtimes' package lists are large: their own chunk, loaded in the background.
    void import('./engine/hostedPackages').then(m => {
      this._runtimeLists = m.hostedPackages();
      this._tracker.forEach(panel => this._checkInstallCells(panel));
    });
  }

  /** The hosted runtimes a notebook can be checked for: the newest, and each pinnable version. */
  get targets(): ITargetChoice[] {
    return this._runtimeLists
      ? targetChoices(this._table, this._runtimeLists)
      : [];
  }

  /**
   * The hosted runtime the notebook's install cells are checked for instead of its kernel
   * (`colab@2026.07`, kept in the notebook's metadata so it travels with it), or null.
   */
  target(panel: NotebookPanel | null = this.currentPanel): string | null {
    const meta = panel?.model?.getMetadata(TARGET_METADATA) as
      { target?: unknown } | undefined;
    return typeof meta?.target === 'string' && meta.target ? meta.target : null;
  }

  setTarget(panel: NotebookPanel, target: string | null): void {
    const rest = {
      ...((panel.model?.getMetadata(TARGET_METADATA) ?? {}) as Record<
        string,
        unknown
      >)
    };
    delete rest.target;
    if (target) {
      panel.model?.setMetadata(TARGET_METADATA, { ...rest, target });
    } else if (Object.keys(rest).length) {
      panel.model?.setMetadata(TARGET_METADATA, rest);
    } else {
      panel.model?.deleteMetadata(TARGET_METADATA);
    }
  }

  /** The facts of the notebook's target runtime, or an error saying why it has none. */
  targetFacts(
    panel: NotebookPanel | null = this.currentPanel
  ): { facts: IFacts } | { error: string } | null {
    const target = this.target(panel);
    if (!target || !this._runtimeLists) {
      return null;
    }
    const forTable = this._targetFacts.get(this._table) ?? new Map();
    this._targetFacts.set(this._table, forTable);
    let found = forTable.get(target);
    if (!found) {
      const parsed = targetFacts(this._table, target, this._runtimeLists);
      found = parsed.ok ? { facts: parsed.value } : { error: parsed.error };
      forTable.set(target, found);
    }
    return found;
  }

  /** Emitted when a scheduled cell's install commands or a finished cell's output were checked. */
  get cellChecked(): ISignal<this, ICellChecked> {
    return this._cellChecked;
  }

  /** Emitted when what a notebook's install cells are checked against changed (its target, the lists). */
  get checksChanged(): ISignal<this, NotebookPanel> {
    return this._checksChanged;
  }

  /** Emitted whenever the current notebook's status changes or the current notebook changes. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** Probe automatically on kernel start, restart and after install cells. */
  autoProbe = true;

  /** How long a started probe may run. */
  timeoutMs: number;

  get currentPanel(): NotebookPanel | null {
    return this._tracker.currentWidget;
  }

  /** The status of the current notebook (or the given one). */
  status(panel: NotebookPanel | null = this.currentPanel): ProbeStatus {
    if (!panel) {
      return { kind: 'no-notebook' };
    }
    return this._status.get(panel) ?? { kind: 'no-kernel' };
  }

  /** The facts of the notebook's kernel, once probed. */
  facts(panel: NotebookPanel | null = this.currentPanel): IFacts | null {
    const status = panel ? this._status.get(panel) : undefined;
    return status?.kind === 'ready' ? status.facts : null;
  }

  /**
   * preflight of a cell's text against its notebook's kernel (quoting checks only before a probe):
   * exact where pip has resolved it (see exactPreflight.ts), else static, and `ready` is called
   * when the exact answer arrives.
   */
  checkSource(
    panel: NotebookPanel,
    source: string,
    ready: () => void = () => undefined,
    now = false
  ): IFinding[] {
    const targeted = this.targetFacts(panel);
    if (targeted && 'facts' in targeted) {
      // A runtime that is not here: the static check against its package list.
      return preflightCell(targeted.facts, this._table, source);
    }
    const facts = this.facts(panel);
    return (
      (facts && this.exact?.findings(facts, source, ready, now)) ??
      preflightCell(facts ?? unknownFacts(), this._table, source)
    );
  }

  /** The exact pre-flight (pip's own resolver through the server extension), where available. */
  exact: ExactPreflight | null = null;

  /** The reports of the notebook's cells that have something to say, in cell order. */
  cellReports(panel: NotebookPanel | null = this.currentPanel): ICellReport[] {
    const reports = panel ? this._cells.get(panel) : undefined;
    if (!panel || !reports) {
      return [];
    }
    return panel.content.widgets
      .map(cell => reports.get(cell.model.id))
      .filter(
        (r): r is ICellReport =>
          !!r && (r.pip.length > 0 || (r.output?.findings.length ?? 0) > 0)
      );
  }

  /** The notebook panel that holds a cell model (the editor extension knows only the model). */
  panelOf(cellModelId: string): NotebookPanel | null {
    return (
      this._tracker.find(panel => cellIndex(panel, cellModelId) >= 0) ?? null
    );
  }

  set table(table: ICompatTable) {
    this._table = table;
    this._tracker.forEach(panel => {
      const status = this._status.get(panel);
      if (status?.kind === 'ready') {
        this._set(panel, {
          ...status,
          findings: diagnose(status.facts, table)
        });
      }
      this._checkInstallCells(panel);
    });
  }

  get table(): ICompatTable {
    return this._table;
  }

  /** Probe the kernel of `panel` (the current notebook by default); one probe at a time per kernel. */
  async refresh(
    panel: NotebookPanel | null = this.currentPanel
  ): Promise<ProbeStatus> {
    if (!panel) {
      return { kind: 'no-notebook' };
    }
    const kernel = panel.sessionContext.session?.kernel;
    if (!kernel) {
      this._set(panel, { kind: 'no-kernel' });
      return this.status(panel);
    }
    const running = this._inFlight.get(kernel);
    if (running) {
      return running;
    }
    const probe = this._probe(panel, kernel).finally(() =>
      this._inFlight.delete(kernel)
    );
    this._inFlight.set(kernel, probe);
    return probe;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    NotebookActions.executed.disconnect(this._onExecuted, this);
    NotebookActions.executionScheduled.disconnect(this._onScheduled, this);
    Signal.clearData(this);
  }

  private async _probe(
    panel: NotebookPanel,
    kernel: Kernel.IKernelConnection
  ): Promise<ProbeStatus> {
    this._set(panel, { kind: 'queued', kernelStatus: kernel.status });
    const outcome = await runProbe(kernel, {
      timeoutMs: this.timeoutMs,
      onStarted: () => this._set(panel, { kind: 'running' })
    });
    if (this._isDisposed || panel.isDisposed) {
      return { kind: 'no-notebook' };
    }
    const status: ProbeStatus =
      outcome.kind === 'ready'
        ? { ...outcome, findings: diagnose(outcome.facts, this._table) }
        : outcome;
    this._set(panel, status);
    return status;
  }

  private _watch(panel: NotebookPanel): void {
    const context = panel.sessionContext;
    let restarting = false;
    context.statusChanged.connect((_, status) => {
      if (this.status(panel).kind === 'queued' && status !== 'dead') {
        this._set(panel, { kind: 'queued', kernelStatus: status });
      }
      if (status === 'restarting' || status === 'autorestarting') {
        restarting = true;
      } else if (status === 'dead') {
        this._set(panel, { kind: 'dead' });
      } else if (status === 'idle' && restarting) {
        restarting = false;
        this._auto(panel);
      }
    }, this);
    context.kernelChanged.connect((_, change) => {
      if (!change.newValue) {
        this._set(panel, { kind: 'no-kernel' });
      } else {
        void context.ready.then(() => this._auto(panel));
      }
    }, this);
    panel.disposed.connect(() => {
      this._status.delete(panel);
      this._cells.delete(panel);
    }, this);
    void context.ready.then(() => {
      this._auto(panel);
      this._checkInstallCells(panel);
      panel.model?.metadataChanged.connect((_, change) => {
        if (change.key === TARGET_METADATA) {
          this._checkInstallCells(panel);
        }
      }, this);
    });
  }

  /**
   * With a target runtime, every install cell is checked as soon as the notebook opens (nothing
   * runs): the cells' reports show what each would do on that runtime.
   */
  private _checkInstallCells(panel: NotebookPanel): void {
    if (panel.isDisposed) {
      return;
    }
    const target = this.target(panel);
    const reports = this._cells.get(panel);
    for (const cell of panel.content.widgets) {
      const source = cell.model.sharedModel.getSource();
      // Without a target, only cells already checked (run) are checked again, for the kernel.
      if (
        cell.model.type === 'code' &&
        INSTALL_CELL.test(source) &&
        ((target && this._runtimeLists) || reports?.has(cell.model.id))
      ) {
        this._report(panel, cell, { pip: this.checkSource(panel, source) });
      }
    }
    this._checksChanged.emit(panel);
    if (panel === this.currentPanel) {
      this._changed.emit();
    }
  }

  private _auto(panel: NotebookPanel): void {
    if (this.autoProbe && !panel.isDisposed) {
      void this.refresh(panel);
    }
  }

  /** The notebook panel of a scheduled or executed cell, where it is a code cell. */
  private _codeCellPanel(args: {
    notebook: unknown;
    cell: Cell;
  }): NotebookPanel | null {
    return args.cell.model.type === 'code'
      ? (this._tracker.find(p => p.content === args.notebook) ?? null)
      : null;
  }

  private _onScheduled(
    _: unknown,
    args: { notebook: unknown; cell: Cell }
  ): void {
    const panel = this._codeCellPanel(args);
    if (!panel) {
      return;
    }
    const cell = args.cell;
    const source = cell.model.sharedModel.getSource();
    // Run before pip answered: the static result now, pip's exact one when it arrives.
    const facts = this.facts(panel);
    const findings = this.checkSource(
      panel,
      source,
      () => facts && this._exactArrived(panel, cell, source, facts),
      true
    );
    this._report(panel, cell, { pip: findings });
    if (findings.length) {
      this._cellChecked.emit({ panel, cell, findings, origin: 'pip' });
    }
  }

  /** pip's answer for a cell that was run: its report and notification now say what pip said. */
  private _exactArrived(
    panel: NotebookPanel,
    cell: Cell,
    source: string,
    facts: IFacts
  ): void {
    // The facts pip was asked with: after an install cell the kernel is probed again.
    const findings = this.exact?.findings(facts, source, () => undefined);
    if (panel.isDisposed || cell.isDisposed || !findings || !this.exact) {
      return;
    }
    this._report(panel, cell, { pip: findings });
    // Where pip resolved none of it (offline, an error it explained), the static notice stands.
    const changes = this.exact.changes(facts, source);
    if (changes) {
      this._cellChecked.emit({
        panel,
        cell,
        findings,
        origin: 'pip',
        exact: { changes }
      });
    }
  }

  private _onExecuted(
    _: unknown,
    args: { notebook: unknown; cell: Cell }
  ): void {
    const panel = this._codeCellPanel(args);
    if (!panel) {
      return;
    }
    const output = explainOutput(
      outputText(args.cell),
      this.facts(panel),
      this._table
    );
    this._report(panel, args.cell, { output });
    const real = outputProblems(output);
    if (real.length) {
      this._cellChecked.emit({
        panel,
        cell: args.cell,
        findings: real,
        origin: 'output'
      });
    }
    if (INSTALL_CELL.test(args.cell.model.sharedModel.getSource())) {
      this._auto(panel);
    }
  }

  private _report(
    panel: NotebookPanel,
    cell: Cell,
    change: Partial<ICellReport>
  ): void {
    let reports = this._cells.get(panel);
    if (!reports) {
      reports = new Map();
      this._cells.set(panel, reports);
    }
    const id = cell.model.id;
    reports.set(id, {
      cellId: id,
      pip: [],
      output: null,
      ...reports.get(id),
      ...change
    });
    if (panel === this.currentPanel) {
      this._changed.emit();
    }
  }

  private _set(panel: NotebookPanel, status: ProbeStatus): void {
    this._status.set(panel, status);
    if (panel === this.currentPanel) {
      this._changed.emit();
    }
  }

  private _tracker: INotebookTracker;
  private _table: ICompatTable;
  private _runtimeLists: IRuntimePackages | null = null;
  /** Facts per table and target: a newer table replaces the bundled one at run time. */
  private _targetFacts = new WeakMap<
    ICompatTable,
    Map<string, { facts: IFacts } | { error: string }>
  >();
  private _status = new Map<NotebookPanel, ProbeStatus>();
  private _inFlight = new Map<Kernel.IKernelConnection, Promise<ProbeStatus>>();
  private _changed = new Signal<this, void>(this);
  private _checksChanged = new Signal<this, NotebookPanel>(this);
  private _cellChecked = new Signal<this, ICellChecked>(this);
  private _cells = new Map<NotebookPanel, Map<string, ICellReport>>();
  private _isDisposed = false;
}

/** The text of a code cell's outputs: streams, error tracebacks and plain-text results. */
function outputText(cell: Cell): string {
  const outputs = (cell.model as { outputs?: { toJSON(): unknown[] } }).outputs;
  const parts: string[] = [];
  for (const output of (outputs?.toJSON() ?? []) as Record<string, unknown>[]) {
    if (output.output_type === 'stream') {
      parts.push(
        Array.isArray(output.text)
          ? output.text.join('')
          : String(output.text ?? '')
      );
    } else if (output.output_type === 'error') {
      parts.push(
        `${output.ename}: ${output.evalue}`,
        ...((output.traceback as string[]) ?? [])
      );
    } else {
      const data = output.data as Record<string, unknown> | undefined;
      const plain = data?.['text/plain'];
      if (plain) {
        parts.push(Array.isArray(plain) ? plain.join('') : String(plain));
      }
    }
  }
  // Tracebacks carry ANSI colours.
  return parts.join('\n').replace(/\u001b\[[0-9;]*m/g, '');
}

export namespace GpuCompatModel {
  export interface IOptions {
    tracker: INotebookTracker;
    table: ICompatTable;
    timeoutMs?: number;
  }
}
