import { expect, test } from '@jupyterlab/galata';
import { probedNotebook } from '../lab';

test('the exact check: pip resolves a cell whose text names no framework, and the underline says what it drags in', async ({
  page
}) => {
  // The kernel has a (fake) TensorFlow 2.18.0; needs-old-tf, in the server's local wheel folder,
  // requires tensorflow==2.15.0. The text alone says nothing; pip's dry run says it all.
  await probedNotebook(page, 'exact.ipynb');
  await page.notebook.setCell(0, 'code', '!pip install needs-old-tf');
  const cell = page.locator('.jp-Notebook .jp-Cell').first();
  const mark = cell.locator('.cm-lintRange-error');
  await expect(mark).toBeVisible({ timeout: 30000 });
  await mark.hover();
  const tooltip = page.locator('.cm-tooltip-lint');
  await expect(tooltip).toContainText(
    'This cell downgrades TensorFlow 2.18.0 to 2.15.0'
  );
  await page.screenshot({ path: 'screenshots/lab-exact-preflight.png' });
  // Nothing was installed: the dry run changed nothing, and the cell is as it was typed.
  expect(await page.notebook.getCellTextInput(0)).toBe(
    '!pip install needs-old-tf'
  );
});
