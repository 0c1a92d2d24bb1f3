/** The sidebar: the current notebook's probe status, findings with fix buttons, and the environment. */
import { ReactWidget, UseSignal } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon } from '@jupyterlab/ui-components';
import * as React from 'react';
import { IFacts } from '../engine/facts';
import { IFinding, IFix } from '../engine/types';
import { GpuCompatModel, ProbeStatus } from '../model';

export interface IPanelActions {
  refresh(): void;
  insertFix(finding: IFinding, fix: IFix): void;
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
      return trans.__(
        'Waiting for the kernel: it is busy running other cells.'
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
  actions: IPanelActions;
  trans: TranslationBundle;
}): JSX.Element {
  const { finding, actions, trans } = props;
  return (
    <li
      className={`jp-GpuCompat-finding jp-mod-${finding.severity}`}
      data-finding-id={finding.id}
    >
      <div className="jp-GpuCompat-findingTitle">
        <span className="jp-GpuCompat-severity">{finding.severity}</span>{' '}
        {finding.title}
      </div>
      <p className="jp-GpuCompat-explanation">{finding.explanation}</p>
      {finding.evidence.length > 0 && (
        <dl className="jp-GpuCompat-evidence">
          {finding.evidence.map((e, i) => (
            <React.Fragment key={i}>
              <dt>{e.label}</dt>
              <dd>{e.value}</dd>
            </React.Fragment>
          ))}
        </dl>
      )}
      <div className="jp-GpuCompat-fixes">
        {finding.fixes.map((fix, i) => (
          <button
            key={i}
            className="jp-mod-styled jp-mod-accept"
            title={fix.title}
            onClick={() => actions.insertFix(finding, fix)}
          >
            {trans.__('Insert fix cell: %1', fix.title)}
          </button>
        ))}
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
  const { facts, trans } = props;
  const fw = facts.frameworks;
  const rows: [string, string][] = [
    [
      trans.__('Python'),
      `${facts.python.version} (${facts.python.executable})`
    ],
    [
      trans.__('GPU'),
      facts.gpus
        .map(g => `${g.name} (CC ${g.compute_capability ?? '?'})`)
        .join(', ') || trans.__('none')
    ],
    [
      trans.__('Driver'),
      facts.driver.version
        ? `${facts.driver.version}, CUDA ≤ ${facts.driver.cuda_version ?? '?'}`
        : trans.__('not found')
    ],
    [
      trans.__('CUDA toolkits'),
      facts.cuda.toolkits.map(t => `${t.version} (${t.path})`).join(', ') ||
        trans.__('none')
    ],
    [
      trans.__('CUDA libraries'),
      facts.cuda.libraries
        .map(l => `${l.kind} ${l.version ?? '?'} (${l.source})`)
        .join(', ') || trans.__('none')
    ]
  ];
  if (fw.torch) {
    rows.push([
      'torch',
      `${fw.torch.version} — CUDA ${fw.torch.cuda ?? trans.__('none')}`
    ]);
  }
  if (fw.tensorflow) {
    rows.push([
      'tensorflow',
      `${fw.tensorflow.version} — CUDA ${fw.tensorflow.cuda ?? trans.__('none')}, cuDNN ${fw.tensorflow.cudnn ?? '?'}`
    ]);
  }
  if (fw.jax) {
    rows.push([
      'jax',
      `${fw.jax.version} / jaxlib ${fw.jax.jaxlib} ${Object.keys(fw.jax.plugins).join(' ')}`
    ]);
  }
  if (fw.bitsandbytes) {
    rows.push([
      'bitsandbytes',
      `${fw.bitsandbytes.version} — CUDA ${(fw.bitsandbytes.cuda_versions ?? []).join(', ') || '?'}`
    ]);
  }
  return (
    <table
      className="jp-GpuCompat-environment"
      data-testid="gpu-compat-environment"
    >
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PanelBody(props: {
  status: ProbeStatus;
  actions: IPanelActions;
  trans: TranslationBundle;
}): JSX.Element {
  const { status, actions, trans } = props;
  const message = statusMessage(status, trans);
  return (
    <div className="jp-GpuCompat-body">
      <div className="jp-GpuCompat-header">
        <h2>{trans.__('GPU compatibility')}</h2>
        <button
          className="jp-GpuCompat-refresh"
          title={trans.__('Check again')}
          aria-label={trans.__('Check again')}
          onClick={actions.refresh}
        >
          <refreshIcon.react tag="span" />
        </button>
      </div>
      {message && (
        <p
          className={`jp-GpuCompat-status jp-mod-${status.kind}`}
          role="status"
          data-testid="gpu-compat-status"
        >
          {message}
        </p>
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
          <h3>{trans.__('Environment')}</h3>
          <Environment facts={status.facts} trans={trans} />
          <p className="jp-GpuCompat-footer">
            {trans.__(
              'Probe: %1 ms in the kernel, %2 ms round trip',
              status.facts.timing_ms ?? '?',
              Math.round(status.roundTripMs)
            )}
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
            actions={this._actions}
            trans={this._trans}
          />
        )}
      </UseSignal>
    );
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
