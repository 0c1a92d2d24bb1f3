/**
 * One probe result per notebook, kept up to date with its kernel: probed when the kernel is
 * ready, after a restart, after an install cell ran, and on demand. Feeds the sidebar and the
 * status-bar item through `changed`.
 */
import {
  NotebookActions,
  NotebookPanel,
  INotebookTracker
} from '@jupyterlab/notebook';
import { Kernel } from '@jupyterlab/services';
import { ISignal, Signal } from '@lumino/signaling';
import { diagnose } from './engine/diagnose';
import { IFacts } from './engine/facts';
import { ICompatTable } from './engine/table';
import { IFinding } from './engine/types';
import { ProbeOutcome, runProbe } from './kernel/probeRunner';

export type ProbeStatus =
  | { kind: 'no-notebook' }
  | { kind: 'no-kernel' }
  | { kind: 'queued' }
  | { kind: 'running' }
  | Exclude<ProbeOutcome, { kind: 'ready' }>
  | { kind: 'ready'; facts: IFacts; findings: IFinding[]; roundTripMs: number };

/** Install commands in a cell: after such a cell ran, the environment may have changed. */
const INSTALL_CELL = /(^|[\s!%])(pip3?|uv|conda|mamba)\b[^\n]*\binstall\b/m;

export class GpuCompatModel {
  constructor(options: GpuCompatModel.IOptions) {
    this._tracker = options.tracker;
    this._table = options.table;
    this.timeoutMs = options.timeoutMs ?? 20000;
    this._tracker.widgetAdded.connect((_, panel) => this._watch(panel), this);
    this._tracker.currentChanged.connect(() => this._changed.emit(), this);
    this._tracker.forEach(panel => this._watch(panel));
    NotebookActions.executed.connect(this._onExecuted, this);
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
    Signal.clearData(this);
  }

  private async _probe(
    panel: NotebookPanel,
    kernel: Kernel.IKernelConnection
  ): Promise<ProbeStatus> {
    this._set(panel, { kind: 'queued' });
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
    panel.disposed.connect(() => this._status.delete(panel), this);
    void context.ready.then(() => this._auto(panel));
  }

  private _auto(panel: NotebookPanel): void {
    if (this.autoProbe && !panel.isDisposed) {
      void this.refresh(panel);
    }
  }

  private _onExecuted(
    _: unknown,
    args: {
      notebook: unknown;
      cell: { model: { sharedModel: { getSource(): string } } };
    }
  ): void {
    if (!INSTALL_CELL.test(args.cell.model.sharedModel.getSource())) {
      return;
    }
    const panel = this._tracker.find(p => p.content === args.notebook);
    if (panel) {
      this._auto(panel);
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
  private _status = new Map<NotebookPanel, ProbeStatus>();
  private _inFlight = new Map<Kernel.IKernelConnection, Promise<ProbeStatus>>();
  private _changed = new Signal<this, void>(this);
  private _isDisposed = false;
}

export namespace GpuCompatModel {
  export interface IOptions {
    tracker: INotebookTracker;
    table: ICompatTable;
    timeoutMs?: number;
  }
}
