/** The status-bar item: the current notebook's GPU state at a glance; a click opens the panel. */
import { ReactWidget, UseSignal } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import { gpuIcon } from '../icons';
import { GpuCompatModel, ProbeStatus } from '../model';

export function statusText(
  status: ProbeStatus,
  trans: TranslationBundle
): { text: string; mod: 'ok' | 'warning' | 'error' | 'idle' } {
  switch (status.kind) {
    case 'ready': {
      const errors = status.findings.filter(f => f.severity === 'error').length;
      const warnings = status.findings.filter(
        f => f.severity === 'warning'
      ).length;
      if (errors) {
        return {
          text: trans._n('%1 GPU error', '%1 GPU errors', errors),
          mod: 'error'
        };
      }
      if (warnings) {
        return {
          text: trans._n('%1 GPU warning', '%1 GPU warnings', warnings),
          mod: 'warning'
        };
      }
      return status.facts.gpus.length
        ? { text: trans.__('GPU ok'), mod: 'ok' }
        : { text: trans.__('No GPU'), mod: 'idle' };
    }
    case 'queued':
    case 'running':
      return { text: trans.__('GPU: checking…'), mod: 'idle' };
    case 'no-notebook':
    case 'no-kernel':
      return { text: trans.__('GPU: no kernel'), mod: 'idle' };
    default:
      return { text: trans.__('GPU: not checked'), mod: 'warning' };
  }
}

export class GpuStatusItem extends ReactWidget {
  constructor(options: {
    model: GpuCompatModel;
    trans: TranslationBundle;
    onClick: () => void;
  }) {
    super();
    this._options = options;
  }

  protected render(): JSX.Element {
    const { model, trans, onClick } = this._options;
    return (
      <UseSignal signal={model.changed}>
        {() => {
          const { text, mod } = statusText(model.status(), trans);
          return (
            <div
              className={`jp-GpuCompat-statusItem jp-mod-${mod}`}
              role="button"
              tabIndex={0}
              title={trans.__('GPU compatibility: click for details')}
              data-testid="gpu-compat-statusbar"
              onClick={onClick}
              onKeyDown={event => {
                if (event.key === 'Enter' || event.key === ' ') {
                  onClick();
                }
              }}
            >
              <gpuIcon.react tag="span" height="14px" width="14px" />
              <span>{text}</span>
            </div>
          );
        }}
      </UseSignal>
    );
  }

  private _options: {
    model: GpuCompatModel;
    trans: TranslationBundle;
    onClick: () => void;
  };
}
