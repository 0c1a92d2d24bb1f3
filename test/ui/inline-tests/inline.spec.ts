import { expect, test } from '@jupyterlab/galata';
import { kernelIdle } from '../kernel';

// The fake driver (CUDA 12.4, T4), old bitsandbytes and TensorFlow 2.18.0 come from the server config.
test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

test('the text/html report renders and copies its fix with the extension disabled', async ({
  page
}) => {
  // The extension is really off: no sidebar panel.
  await expect(page.locator('#jp-gpu-compat-panel')).toHaveCount(0);
  await page.notebook.createNew('inline.ipynb', { kernel: 'python3' });
  await kernelIdle(page);
  await page.notebook.setCell(0, 'code', '%load_ext jupyterlab_gpu_compat');
  await page.notebook.runCell(0);
  const output = page.locator(
    '.jp-OutputArea-output[data-mime-type="text/html"] .jp-GpuCompatReport'
  );
  const finding = output.locator('[data-finding-id="bnb-missing-binary"]');
  await expect(finding).toBeVisible({ timeout: 30000 });
  await expect(output.locator('.jp-GpuCompatReport-summary')).toContainText(
    'problem'
  );
  await expect(finding).toContainText(
    'bitsandbytes 0.40.2 has no binary for CUDA 12.4'
  );
  await finding.getByRole('button', { name: 'Copy' }).first().click();
  await expect(finding.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    '# Upgrade bitsandbytes to 0.43.1 or newer\n%pip install -U "bitsandbytes>=0.43.1"\n# Then: Restart the kernel so the new packages are loaded. (Kernel > Restart Kernel)'
  );
  await output.locator('summary', { hasText: 'Environment' }).click();
  await expect(output.locator('table')).toContainText('Tesla T4');
  await page.screenshot({ path: 'screenshots/inline-report.png' });

  // The install hook: the warning above pip's output, and the cell still ran as written.
  await page.notebook.addCell('code', '!pip install tensorflow==2.15.1');
  const last = (await page.notebook.getCellCount()) - 1;
  await page.notebook.runCell(last);
  const cell = page.locator('.jp-Cell').nth(last);
  const outputs = cell.locator('.jp-OutputArea-output');
  await expect(
    outputs.first().locator('[data-finding-id="pip-downgrade"]')
  ).toBeVisible({ timeout: 30000 });
  await expect(outputs.last()).toContainText(
    'fake pip (browser tests): pip install tensorflow==2.15.1'
  );
  await page.screenshot({ path: 'screenshots/inline-install-hook.png' });
});
