/** The sidebar: the current notebook's probe status, findings with fix buttons, and the environment. */
import { ReactWidget, UseSignal } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { copyIcon, refreshIcon } from '@jupyterlab/ui-components';
import * as React from 'react';
import { cellIndex } from '../cells';
import { IFacts } from '../engine/facts';
import { outputProblems } from '../engine/outputs';
import { environmentRows } from '../engine/report';
import { severityWord, showFinding } from '../engine/shown';
import { tableDate } from '../engine/table';
import { ITargetChoice } from '../engine/targets';
import { render } from '../engine/text';
import { IFinding, IFix } from '../engine/types';
import { GpuCompatModel, ICellReport, ProbeStatus } from '../model';

export interface IPanelActions {
  refresh(): void;
  /** Insert the fix (and its verification cell) below the cell, or below the active cell. */
  insertFix(finding: IFinding, fix: IFix, cellId?: string): void;
  /** Restart the kernel after asking the user. */
  restartKernel(): void;
  copyReport(format: 'markdown' | 'json'): void;
  goToCell(cellId: string): void;
  /** Check the notebook's install cells for a hosted runtime (null: for its kernel). */
  setTarget(target: string | null): void;
}

/** What the notebook's install cells are checked for: its kernel, or a hosted runtime. */
export interface ITargetState {
  /** The chosen runtime (`colab@2026.07`), or null for the kernel. */
  target: string | null;
  targets: ITargetChoice[];
  /** What the chosen runtime is, or why it cannot be used. */
  described: string | null;
  error: string | null;
}

function targetLabel(choice: ITargetChoice, trans: TranslationBundle): string {
  const [runtime, version] = choice.target.split(/[@/]/);
  const name = runtime.charAt(0).toUpperCase() + runtime.slice(1);
  return choice.gpu
    ? trans.__('%1, newest (%2), %3', name, choice.date, choice.gpu)
    : version
      ? trans.__('%1 runtime %2', name, version)
      : trans.__('%1, newest (%2)', name, choice.date);
}

function TargetPicker(props: {
  choice: ITargetState;
  actions: IPanelActions;
  trans: TranslationBundle;
}): JSX.Element {
  const { choice, actions, trans } = props;
  const known = choice.targets.some(t => t.target === choice.target);
  return (
    <div className="jp-GpuCompat-target" data-testid="gpu-compat-target">
      <label>
        {trans.__('Check install cells for')}{' '}
        <select
          value={choice.target ?? ''}
          onChange={event => actions.setTarget(event.target.value || null)}
        >
          <option value="">{trans.__('this kernel')}</option>
          {choice.targets.map(t => (
            <option key={t.target} value={t.target}>
              {targetLabel(t, trans)}
            </option>
          ))}
          {choice.target && !known && (
            <option value={choice.target}>{choice.target}</option>
          )}
        </select>
      </label>
      {choice.described && (
        <p className="jp-GpuCompat-targetFacts">{choice.described}</p>
      )}
      {choice.error && (
        <p className="jp-GpuCompat-status jp-mod-error" role="status">
          {choice.error}
        </p>
      )}
    </div>
  );
}

function statusMessage(
  status: ProbeStatus,
  trans: TranslationBundle
): string | null {
  switch (status.kind) {
    case 'no-notebook':
      return trans.__('Open a notebook to check its GPU stack.');
    case 'no-kernel':
      return trans.__(
        'This notebook has no kernel: start one to check its GPU stack.'
      );
    case 'queued':
      return status.kernelStatus === 'busy'
        ? trans.__('Waiting for the kernel: it is busy running other cells.')
        : trans.__(
            'Waiting for the kernel to answer (its state: %1).',
            status.kernelStatus
          );
    case 'running':
      return trans.__('Checking the GPU stack…');
    case 'not-python':
      return trans.__(
        'The kernel runs %1, not Python: the GPU check needs a Python kernel.',
        status.language
      );
    case 'dead':
      return trans.__('The kernel is dead: restart it to check the GPU stack.');
    case 'timeout':
      return trans.__(
        'The probe did not answer within %1 s. The kernel may be stuck: try again, or restart it.',
        status.seconds
      );
    case 'invalid':
      return trans.__(
        'The kernel answered, but not with valid facts: %1',
        status.error
      );
    case 'failed':
      return trans.__('The probe failed: %1', status.error);
    default:
      return null;
  }
}

export function summary(
  findings: IFinding[],
  trans: TranslationBundle
): string {
  const errors = findings.filter(f => f.severity === 'error').length;
  const warnings = findings.filter(f => f.severity === 'warning').length;
  if (!errors && !warnings) {
    return trans.__('No problems found');
  }
  const parts = [];
  if (errors) {
    parts.push(trans._n('%1 problem', '%1 problems', errors));
  }
  if (warnings) {
    parts.push(trans._n('%1 warning', '%1 warnings', warnings));
  }
  return parts.join(', ');
}

function FindingView(props: {
  finding: IFinding;
  cellId?: string;
  actions: IPanelActions;
  trans: TranslationBundle;
}): JSX.Element {
  const { finding, actions, trans, cellId } = props;
  const shown = showFinding(finding, trans.__.bind(trans));
  return (
    <li
      className={`jp-GpuCompat-finding jp-mod-${finding.severity}`}
      data-finding-id={finding.id}
    >
      <div className="jp-GpuCompat-findingTitle">
        <span className="jp-GpuCompat-severity">
          {severityWord(finding.severity, trans.__.bind(trans))}
        </span>{' '}
        {shown.title}
      </div>
      <p className="jp-GpuCompat-explanation">{shown.explanation}</p>
      {shown.evidence.length > 0 && (
        <dl className="jp-GpuCompat-evidence">
          {shown.evidence.map((e, i) => (
            <React.Fragment key={i}>
              <dt>{e.label}</dt>
              <dd>{e.value}</dd>
            </React.Fragment>
          ))}
        </dl>
      )}
      <div className="jp-GpuCompat-fixes">
        {shown.fixes.map((fix, i) => (
          <button
            key={i}
            className="jp-mod-styled jp-mod-accept"
            title={fix.title}
            onClick={() => actions.insertFix(finding, finding.fixes[i], cellId)}
          >
            {trans.__('Insert fix cell: %1', fix.title)}
          </button>
        ))}
        {finding.id === 'restart-needed' && (
          <button
            className="jp-mod-styled jp-mod-warn"
            onClick={actions.restartKernel}
          >
            {trans.__('Restart the kernel…')}
          </button>
        )}
      </div>
      {finding.sources.length > 0 && (
        <div className="jp-GpuCompat-sources">
          {finding.sources.map(url => (
            <a key={url} href={url} target="_blank" rel="noopener noreferrer">
              {trans.__('source')}
            </a>
          ))}
        </div>
      )}
      <code className="jp-GpuCompat-id">{finding.id}</code>
    </li>
  );
}

function Environment(props: {
  facts: IFacts;
  trans: TranslationBundle;
}): JSX.Element {
  return (
    <table
      className="jp-GpuCompat-environment"
      data-testid="gpu-compat-environment"
    >
      <tbody>
        {environmentRows(props.facts, props.trans.__.bind(props.trans)).map(
          ([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{value}</td>
            </tr>
          )
        )}
      </tbody>
    </table>
  );
}

/** What the install commands and outputs of single cells showed, with a link to the cell. */
function CellReports(props: {
  reports: ICellReport[];
  cellNumber: (cellId: string) => number;
  actions: IPanelActions;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { reports, actions, trans } = props;
  if (!reports.length) {
    return null;
  }
  return (
    <section data-testid="gpu-compat-cells">
      <h3>{trans.__('Cells')}</h3>
      {reports.map(report => {
        const realOutput = report.output ? outputProblems(report.output) : [];
        const benign = (report.output?.matches ?? []).filter(m => m.benign);
        return (
          <div
            key={report.cellId}
            className="jp-GpuCompat-cell"
            data-cell-id={report.cellId}
          >
            <button
              className="jp-GpuCompat-cellLink"
              onClick={() => actions.goToCell(report.cellId)}
            >
              {trans.__('Cell %1', props.cellNumber(report.cellId))}
            </button>
            <ul className="jp-GpuCompat-findings">
              {[...report.pip, ...realOutput].map((f, i) => (
                <FindingView
                  key={`${f.id}-${i}`}
                  finding={f}
                  cellId={report.cellId}
                  actions={actions}
                  trans={trans}
                />
              ))}
            </ul>
            {benign.length > 0 && (
              <p className="jp-GpuCompat-benign">
                {trans._n(
                  '%1 output line is known, benign noise: %2',
                  '%1 output lines are known, benign noise: %2',
                  benign.length,
                  benign
                    .map(m => render(m.note, trans.__.bind(trans)))
                    .filter((n, i, all) => all.indexOf(n) === i)
                    .join(' ')
                )}
              </p>
            )}
          </div>
        );
      })}
    </section>
  );
}

export function PanelBody(props: {
  status: ProbeStatus;
  /** The date of the compatibility table the diagnosis used. */
  tableMade: string;
  cells: ICellReport[];
  cellNumber: (cellId: string) => number;
  choice: ITargetState;
  actions: IPanelActions;
  trans: TranslationBundle;
}): JSX.Element {
  const { status, actions, trans } = props;
  const message = statusMessage(status, trans);
  return (
    <div className="jp-GpuCompat-body">
      <div className="jp-GpuCompat-header">
        <h2>{trans.__('GPU compatibility')}</h2>
        <div className="jp-GpuCompat-toolbar">
          {status.kind === 'ready' && (
            <>
              <button
                className="jp-GpuCompat-iconButton"
                title={trans.__('Copy the report as Markdown')}
                aria-label={trans.__('Copy the report as Markdown')}
                data-testid="gpu-compat-copy-markdown"
                onClick={() => actions.copyReport('markdown')}
              >
                <copyIcon.react tag="span" />
              </button>
              <button
                className="jp-GpuCompat-iconButton jp-GpuCompat-textButton"
                title={trans.__('Copy the report as JSON')}
                aria-label={trans.__('Copy the report as JSON')}
                data-testid="gpu-compat-copy-json"
                onClick={() => actions.copyReport('json')}
              >
                {'{ }'}
              </button>
            </>
          )}
          <button
            className="jp-GpuCompat-iconButton"
            title={trans.__('Check again')}
            aria-label={trans.__('Check again')}
            onClick={actions.refresh}
          >
            <refreshIcon.react tag="span" />
          </button>
        </div>
      </div>
      {status.kind !== 'no-notebook' && (
        <TargetPicker choice={props.choice} actions={actions} trans={trans} />
      )}
      {message && (
        <p
          className={`jp-GpuCompat-status jp-mod-${status.kind}`}
          role="status"
          data-testid="gpu-compat-status"
        >
          {message}
        </p>
      )}
      {status.kind !== 'ready' && (
        <CellReports
          reports={props.cells}
          cellNumber={props.cellNumber}
          actions={actions}
          trans={trans}
        />
      )}
      {status.kind === 'ready' && (
        <>
          <p
            className="jp-GpuCompat-summary"
            role="status"
            data-testid="gpu-compat-summary"
          >
            {summary(status.findings, trans)}
          </p>
          <ul className="jp-GpuCompat-findings">
            {status.findings.map((f, i) => (
              <FindingView
                key={`${f.id}-${i}`}
                finding={f}
                actions={actions}
                trans={trans}
              />
            ))}
          </ul>
          <CellReports
            reports={props.cells}
            cellNumber={props.cellNumber}
            actions={actions}
            trans={trans}
          />
          <h3>{trans.__('Environment')}</h3>
          <Environment facts={status.facts} trans={trans} />
          <p className="jp-GpuCompat-footer">
            {trans.__(
              'Probe: %1 ms in the kernel, %2 ms round trip',
              status.facts.timing_ms ?? '?',
              Math.round(status.roundTripMs)
            )}
            <br />
            <span data-testid="gpu-compat-table-date">
              {trans.__('Compatibility table of %1', props.tableMade)}
            </span>
          </p>
        </>
      )}
    </div>
  );
}

export class GpuCompatPanel extends ReactWidget {
  constructor(options: GpuCompatPanel.IOptions) {
    super();
    this._model = options.model;
    this._actions = options.actions;
    this._trans = options.trans;
    this.addClass('jp-GpuCompat-panel');
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this._model.changed}>
        {() => (
          <PanelBody
            status={this._model.status()}
            tableMade={tableDate(this._model.table)}
            cells={this._model.cellReports()}
            cellNumber={cellId => {
              const panel = this._model.currentPanel;
              return panel ? cellIndex(panel, cellId) + 1 : 0;
            }}
            choice={this._choice()}
            actions={this._actions}
            trans={this._trans}
          />
        )}
      </UseSignal>
    );
  }

  /** The current notebook's target, described from its facts. */
  private _choice(): ITargetState {
    const trans = this._trans;
    const targeted = this._model.targetFacts();
    const facts = targeted && 'facts' in targeted ? targeted.facts : null;
    const gpu = facts?.gpus[0];
    return {
      target: this._model.target(),
      targets: this._model.targets,
      described: facts
        ? trans.__(
            'Python %1, %2 packages%3; nothing is run there.',
            facts.python.version || '?',
            Object.keys(facts.packages).length,
            gpu
              ? trans.__(
                  ', %1 with driver %2',
                  gpu.name,
                  facts.driver.version ?? '?'
                )
              : ''
          )
        : null,
      error: targeted && 'error' in targeted ? targeted.error : null
    };
  }

  private _model: GpuCompatModel;
  private _actions: IPanelActions;
  private _trans: TranslationBundle;
}

export namespace GpuCompatPanel {
  export interface IOptions {
    model: GpuCompatModel;
    actions: IPanelActions;
    trans: TranslationBundle;
  }
}
