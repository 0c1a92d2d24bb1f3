import { expect, test } from '@jupyterlab/galata';
import { PANEL, probedNotebook } from '../lab';

test('the installed wheel: the panel shows the facts and a pip cell is underlined', async ({
  page
}) => {
  await probedNotebook(page, 'wheel-smoke.ipynb');
  // The kernel's (fake) driver and GPU, as the probe from the installed package found them.
  await expect(page.locator(PANEL)).toContainText('Tesla T4');
  await expect(
    page.locator(`${PANEL} [data-testid="gpu-compat-table-date"]`)
  ).toContainText('Compatibility table of');
  await page.notebook.setCell(0, 'code', '!pip install bitsandbytes>=0.43.1');
  const cell = page.locator('.jp-Notebook .jp-Cell').first();
  await expect(cell.locator('.cm-lintRange-error')).toHaveText(
    'bitsandbytes>=0.43.1',
    {
      timeout: 10000
    }
  );
});
