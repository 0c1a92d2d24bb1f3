import { expect, test } from '@playwright/test';
import { kernelIdle } from '../kernel';

test('the panel works in Notebook 7', async ({ page, request }) => {
  const name = `nb7-${Date.now()}.ipynb`;
  const created = await request.put(`/api/contents/${name}`, {
    data: {
      type: 'notebook',
      content: {
        cells: [],
        metadata: {
          kernelspec: {
            name: 'python3',
            display_name: 'Python 3',
            language: 'python'
          }
        },
        nbformat: 4,
        nbformat_minor: 5
      }
    }
  });
  expect(created.ok()).toBeTruthy();
  await page.goto(`/notebooks/${name}`);
  await kernelIdle(page);
  await page.evaluate(() =>
    (window as any).jupyterapp.commands.execute(
      'jupyterlab-gpu-compat:open-panel'
    )
  );
  const panel = page.locator('#jp-gpu-compat-panel');
  await expect(panel.getByTestId('gpu-compat-environment')).toContainText(
    'Tesla T4',
    { timeout: 60000 }
  );
  await expect(
    panel.locator('[data-finding-id="bnb-missing-binary"]')
  ).toBeVisible();
  await page.screenshot({ path: 'screenshots/nb7-panel.png' });
});
