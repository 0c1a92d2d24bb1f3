/** Inserting fix cells: below the given (or active) cell, selected, never run. */
import { NotebookActions, NotebookPanel } from '@jupyterlab/notebook';

export function insertCellsBelow(
  panel: NotebookPanel,
  sources: string[],
  afterCellId?: string
): void {
  const notebook = panel.content;
  if (afterCellId) {
    const index = notebook.widgets.findIndex(c => c.model.id === afterCellId);
    if (index >= 0) {
      notebook.activeCellIndex = index;
    }
  }
  for (const source of sources) {
    NotebookActions.insertBelow(notebook);
    notebook.activeCell?.model.sharedModel.setSource(source);
  }
  // Leave the first inserted cell active so the user reads it before running anything.
  notebook.activeCellIndex = notebook.activeCellIndex - (sources.length - 1);
  notebook.mode = 'command';
}
