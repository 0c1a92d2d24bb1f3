/**
 * The editor half of the pip-cell watcher: a CodeMirror 6 linter, registered through
 * JupyterLab's editor extension registry, that underlines an install command that would break
 * the GPU stack and says why on hover. It reads the cell; it never changes or runs it.
 */
import { Diagnostic, linter } from '@codemirror/lint';
import { Annotation } from '@codemirror/state';
import { ViewPlugin } from '@codemirror/view';
import {
  EditorExtensionRegistry,
  IEditorExtensionFactory
} from '@jupyterlab/codemirror';
import { TranslationBundle } from '@jupyterlab/translation';
import { render } from './engine/text';
import { IFinding } from './engine/types';
import { GpuCompatModel } from './model';

export interface IPipLinterOptions {
  model: GpuCompatModel;
  trans: TranslationBundle;
  /** Whether the watcher is switched on (a setting). */
  enabled(): boolean;
  /** Insert the finding's first fix below the cell. */
  insertFix(cellModelId: string, finding: IFinding): void;
}

/** Marks the (empty) transaction that says pip's exact answer for the cell has arrived. */
const exactArrived = Annotation.define<boolean>();

export function pipLinterExtension(
  options: IPipLinterOptions
): IEditorExtensionFactory {
  const { model, trans } = options;
  return {
    name: 'jupyterlab-gpu-compat:pip-linter',
    factory: ({ model: editorModel, inline }) => {
      const cell = editorModel as typeof editorModel & {
        id?: string;
        type?: string;
      };
      if (!inline || cell.type !== 'code' || !cell.id) {
        return null;
      }
      const cellId = cell.id;
      // Lint again when what the cell is checked against changes (the notebook's target runtime).
      const recheck = ViewPlugin.define(view => {
        const onChange = (_: GpuCompatModel, panel: unknown) => {
          if (panel === model.panelOf(cellId)) {
            view.dispatch({ annotations: exactArrived.of(true) });
          }
        };
        model.checksChanged.connect(onChange);
        return { destroy: () => model.checksChanged.disconnect(onChange) };
      });
      return EditorExtensionRegistry.createImmutableExtension([
        recheck,
        linter(
          view => {
            const panel = options.enabled() ? model.panelOf(cellId) : null;
            if (!panel) {
              return [];
            }
            const length = view.state.doc.length;
            // The exact result (pip's resolution) replaces the static one when it arrives.
            return model
              .checkSource(panel, view.state.doc.toString(), () =>
                view.dispatch({ annotations: exactArrived.of(true) })
              )
              .filter(f => f.range)
              .map((finding): Diagnostic => ({
                from: Math.min(finding.range!.from, length),
                to: Math.min(finding.range!.to, length),
                severity: finding.severity,
                source: trans.__('GPU compatibility'),
                message: `${render(finding.title, trans.__.bind(trans))}\n${render(finding.explanation, trans.__.bind(trans))}`,
                markClass: `jp-gpu-compat-lint jp-gpu-compat-lint-${finding.id}`,
                actions: finding.fixes.length
                  ? [
                      {
                        name: trans.__('Insert fix cell'),
                        apply: () => options.insertFix(cellId, finding)
                      }
                    ]
                  : []
              }));
          },
          {
            delay: 400,
            // Lint again, though the text did not change, when the exact answer or a target arrives.
            needsRefresh: update =>
              update.transactions.some(tr => tr.annotation(exactArrived))
          }
        )
      ]);
    }
  };
}
