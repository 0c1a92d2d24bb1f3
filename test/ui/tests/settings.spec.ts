import { expect, test } from '@jupyterlab/galata';
import { PANEL, probedNotebook, setSetting } from '../lab';

test.describe('Newer compatibility table setting', () => {
  test('a table that fails its schema gets a clear message and the bundled table stays', async ({
    page,
    tmpPath
  }) => {
    await page.contents.uploadContent(
      JSON.stringify({ date: '2026-11-01', torch: { releases: [] } }),
      'text',
      `${tmpPath}/newer-table.json`
    );
    await probedNotebook(page, 'table.ipynb');
    const finding = page.locator(
      `${PANEL} [data-finding-id="bnb-missing-binary"]`
    );
    await expect(finding).toBeVisible({ timeout: 60000 });

    await setSetting(page, 'tableSource', `${tmpPath}/newer-table.json`);
    const toast = page.locator('.Toastify__toast').filter({
      hasText: 'newer compatibility table was not used'
    });
    await expect(toast).toBeVisible({ timeout: 20000 });
    await expect(toast).toContainText('bundled table is used instead');
    // The toast is short; "Show why" names the source and the field that failed its schema.
    await toast.getByRole('button', { name: 'Show why' }).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText(`${tmpPath}/newer-table.json`);
    await expect(dialog).toContainText('$.tensorflow is required');
    await page.screenshot({ path: 'screenshots/lab-table-rejected.png' });
    await dialog.getByRole('button', { name: 'Close' }).click();
    // Nothing is lost: the diagnosis with the bundled table is still shown.
    await expect(finding).toBeVisible();

    // A file that is not there is a message too, not a blank panel.
    // Choosing an action closes the toast.
    await expect(toast).toHaveCount(0);
    await setSetting(page, 'tableSource', `${tmpPath}/missing.json`);
    await expect(toast).toBeVisible({ timeout: 20000 });
    await toast.getByRole('button', { name: 'Show why' }).click();
    await expect(dialog).toContainText('missing.json');
    await expect(finding).toBeVisible();
  });
});
