/**
 * Notifications of the pip-cell and output watchers: when a cell is run whose install command
 * would break the GPU stack, or whose output shows a known failure. With "Insert fix cell" and
 * "Show details" actions; they never block the cell.
 */
import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { render } from './engine/text';
import { IFinding, Severity, sortFindings } from './engine/types';
import { GpuCompatModel, ICellChecked } from './model';

export interface INotifierOptions {
  model: GpuCompatModel;
  trans: TranslationBundle;
  /** The severities that raise a notification (a setting). */
  severities(): Severity[];
  insertFix(cellModelId: string, finding: IFinding): void;
  showDetails(): void;
}

export function notifyCellFindings(options: INotifierOptions): void {
  const { model, trans } = options;
  model.cellChecked.connect((_, checked: ICellChecked) => {
    const wanted = options.severities();
    const [first, ...rest] = sortFindings(
      checked.findings.filter(f => wanted.includes(f.severity))
    );
    if (!first) {
      return;
    }
    const index = checked.panel.content.widgets.indexOf(checked.cell) + 1;
    const tr = trans.__.bind(trans);
    const title = render(first.title, tr);
    const message =
      (checked.origin === 'pip'
        ? trans.__('Cell %1: %2', index, title)
        : trans.__('Cell %1 output: %2', index, title)) +
      (rest.length
        ? trans._n(' (and %1 more)', ' (and %1 more)', rest.length)
        : '');
    const cellId = checked.cell.model.id;
    Notification.emit(
      message,
      first.severity === 'info' ? 'info' : first.severity,
      {
        autoClose: first.severity === 'error' ? false : 8000,
        actions: [
          ...(first.fixes.length
            ? [
                {
                  label: trans.__('Insert fix cell'),
                  caption: render(first.fixes[0].title, tr),
                  callback: () => options.insertFix(cellId, first)
                }
              ]
            : []),
          {
            label: trans.__('Show details'),
            caption: trans.__('Open the GPU compatibility panel'),
            callback: () => options.showDetails()
          }
        ]
      }
    );
  });
}
