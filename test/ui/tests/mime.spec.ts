import { expect, test } from '@jupyterlab/galata';
import { kernelIdle } from '../kernel';

test('the extension renders the %load_ext report natively, not through its script', async ({
  page
}) => {
  await page.notebook.createNew('mime.ipynb', { kernel: 'python3' });
  await kernelIdle(page);
  await page.notebook.setCell(
    0,
    'code',
    'import jupyterlab_gpu_compat\njupyterlab_gpu_compat.check()'
  );
  await page.notebook.runCell(0);
  const output = page.locator(
    '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.gpu-compat+json"]'
  );
  await expect(
    output.locator('[data-finding-id="bnb-missing-binary"]')
  ).toBeVisible({ timeout: 30000 });
  await expect(
    page.locator('.jp-OutputArea-output[data-mime-type="text/html"]')
  ).toHaveCount(0);
});
