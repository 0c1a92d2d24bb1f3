/**
 * Notifications of the pip-cell and output watchers: when a cell is run whose install command
 * would break the GPU stack, or whose output shows a known failure. With "Insert fix cell" and
 * "Show details" actions; they never block the cell. When pip's exact answer for a run cell comes
 * after the static one, the cell's notification is updated in place, with what pip would change.
 */
import { Notification } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { changeTable, IResolvedChange } from './engine/resolved';
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

/** Notifications show 140 characters: the change table is cut to the packages that fit. */
const MESSAGE_LENGTH = 140;

function changeLine(changes: IResolvedChange[], trans: TranslationBundle) {
  const tr = trans.__.bind(trans);
  return tr(
    'pip: %1',
    changes.length ? render(changeTable(changes), tr) : tr('no changes')
  );
}

export function notifyCellFindings(options: INotifierOptions): void {
  const { model, trans } = options;
  /** The notification each cell raised last, to update when pip's answer comes. */
  const shown = new Map<string, string>();
  model.cellChecked.connect((_, checked: ICellChecked) => {
    const wanted = options.severities();
    const [first, ...rest] = sortFindings(
      checked.findings.filter(f => wanted.includes(f.severity))
    );
    const cellId = checked.cell.model.id;
    const earlier = checked.exact ? shown.get(cellId) : undefined;
    if (!first && !earlier) {
      return;
    }
    const index = checked.panel.content.widgets.indexOf(checked.cell) + 1;
    const tr = trans.__.bind(trans);
    let message = first
      ? (checked.origin === 'pip'
          ? trans.__('Cell %1: %2', index, render(first.title, tr))
          : trans.__('Cell %1 output: %2', index, render(first.title, tr))) +
        (rest.length
          ? trans._n(' (and %1 more)', ' (and %1 more)', rest.length)
          : '')
      : trans.__('Cell %1: pip resolved it, and nothing breaks.', index);
    if (checked.exact) {
      const changes = changeLine(checked.exact.changes, trans);
      const room = MESSAGE_LENGTH - message.length - 1;
      message += `\n${changes.length > room ? `${changes.slice(0, Math.max(room - 1, 0))}…` : changes}`;
    }
    const type = !first
      ? 'success'
      : first.severity === 'info'
        ? 'info'
        : first.severity;
    const actions = [
      ...(first?.fixes.length
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
    ];
    const autoClose = first?.severity === 'error' ? false : 8000;
    if (earlier && Notification.manager.has(earlier)) {
      Notification.update({ id: earlier, message, type, autoClose, actions });
      return;
    }
    shown.set(cellId, Notification.emit(message, type, { autoClose, actions }));
  });
}
