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

test('run before pip answered: the static result first, then the notification says what pip resolved, with the change table', async ({
  page
}) => {
  await probedNotebook(page, 'exact-run.ipynb');
  // The text alone names no framework, so the static check has nothing to say when it runs.
  await page.notebook.setCell(0, 'code', '!pip install needs-old-tf');
  await page.notebook.runCell(0);
  const toast = page.locator('.Toastify__toast').filter({
    hasText: 'Cell 1: This cell downgrades TensorFlow 2.18.0 to 2.15.0'
  });
  await expect(toast).toBeVisible({ timeout: 30000 });
  await expect(toast).toContainText('pip: needs-old-tf (new) → 1.0');
  await expect(toast).toContainText('tensorflow 2.18.0 → 2.15.0');
  await page.screenshot({ path: 'screenshots/lab-exact-notification.png' });
  // The cell ran as written (the test kernel's fake pip echoes its arguments).
  await expect(
    page.locator('.jp-Notebook .jp-Cell').first().locator('.jp-OutputArea')
  ).toContainText('fake pip (browser tests): pip install needs-old-tf');
});
