/** Inserting fix cells: below the given (or active) cell, selected, never run. */
import { NotebookActions, NotebookPanel } from '@jupyterlab/notebook';

/** The index of the cell whose model has this id, or -1. */
export function cellIndex(panel: NotebookPanel, cellModelId: string): number {
  return panel.content.widgets.findIndex(c => c.model.id === cellModelId);
}

export function insertCellsBelow(
  panel: NotebookPanel,
  sources: string[],
  afterCellId?: string
): void {
  const notebook = panel.content;
  if (afterCellId) {
    const index = cellIndex(panel, afterCellId);
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
