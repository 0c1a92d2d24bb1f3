import { expect, test } from '@jupyterlab/galata';
import { kernelIdle } from '../kernel';
import { notebookOn } from '../lab';

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

test.describe('in the browser language', () => {
  // A Chinese browser: report.js takes the catalogue the payload carries for its language.
  test.use({ locale: 'zh-CN' });

  test('the notebook-mode report in Simplified Chinese, broken and healthy', async ({
    page,
    tmpPath
  }) => {
    await notebookOn(page, `${tmpPath}/inline-zh.ipynb`, 'python3');
    await page.notebook.setCell(0, 'code', '%load_ext jupyterlab_gpu_compat');
    await page.notebook.runCell(0);
    const output = page.locator(
      '.jp-OutputArea-output[data-mime-type="text/html"] .jp-GpuCompatReport'
    );
    const finding = output.locator('[data-finding-id="bnb-missing-binary"]');
    await expect(finding).toContainText(
      'bitsandbytes 0.40.2 没有适用于 CUDA 12.4 的二进制文件',
      { timeout: 30000 }
    );
    await expect(output.locator('.jp-GpuCompatReport-summary')).toContainText(
      '问题：'
    );
    // Fix cells stay code; their comments are in the reader's language.
    await expect(finding.locator('pre').first()).toContainText(
      '%pip install -U "bitsandbytes>=0.43.1"'
    );
    await expect(finding.locator('pre').first()).toContainText(
      '# 将 bitsandbytes 升级到 0.43.1 或更新版本'
    );
    await page.screenshot({ path: 'screenshots/inline-report-zh_CN.png' });

    // The healthy kernel (the same fake T4, only torch 2.5.1+cu124): nothing to fix, in Chinese.
    await notebookOn(page, `${tmpPath}/inline-zh-healthy.ipynb`, 'healthy');
    await page.notebook.setCell(0, 'code', '%load_ext jupyterlab_gpu_compat');
    await page.notebook.runCell(0);
    // The first notebook stays open in its (hidden) tab: look in the current one.
    const current = await page.evaluate(
      () => (window as any).jupyterapp.shell.currentWidget.id
    );
    await expect(
      page.locator(
        `[id="${current}"] .jp-OutputArea-output[data-mime-type="text/html"] .jp-GpuCompatReport-summary`
      )
    ).toHaveText('未发现问题', { timeout: 30000 });
    await page.screenshot({
      path: 'screenshots/inline-report-zh_CN-healthy.png'
    });
  });
});
