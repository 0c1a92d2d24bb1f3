import { expect, test } from '@jupyterlab/galata';
import { PANEL, probedNotebook } from '../lab';

test.describe('pip-cell watcher', () => {
  test('typing a TensorFlow downgrade underlines it; running it notifies; Insert fix cell inserts the fix', async ({
    page
  }) => {
    // The kernel's environment has a (fake) TensorFlow 2.18.0 built for CUDA 12.5, and a fake pip.
    await probedNotebook(page, 'downgrade.ipynb');
    await page.notebook.setCell(0, 'code', '!pip install tensorflow==2.15.1');
    const cell = page.locator('.jp-Notebook .jp-Cell').first();
    const mark = cell.locator('.cm-lintRange-error');
    await expect(mark).toBeVisible({ timeout: 10000 });
    await mark.hover();
    await expect(page.locator('.cm-tooltip-lint')).toContainText(
      'This cell downgrades TensorFlow 2.18.0 to 2.15.1'
    );
    await page.screenshot({ path: 'screenshots/lab-pip-diagnostic.png' });

    await page.notebook.runCell(0);
    const toast = page.locator('.Toastify__toast').filter({
      hasText: 'Cell 1: This cell downgrades TensorFlow 2.18.0 to 2.15.1'
    });
    await expect(toast).toBeVisible({ timeout: 10000 });
    // The cell itself ran unchanged (the fake pip echoes its arguments).
    await expect(cell.locator('.jp-OutputArea')).toContainText(
      'fake pip (browser tests): pip install tensorflow==2.15.1'
    );
    await page.screenshot({ path: 'screenshots/lab-pip-notification.png' });
    await toast.getByRole('button', { name: 'Insert fix cell' }).click();
    expect(await page.notebook.getCellTextInput(1)).toBe(
      '# Stay on TensorFlow 2.18.0 (run this instead)\n%pip install tensorflow==2.18.0'
    );
    expect(await page.notebook.getCellTextInput(0)).toBe(
      '!pip install tensorflow==2.15.1'
    );
    // The sidebar lists the finding under that cell.
    await page.sidebar.openTab('jp-gpu-compat-panel');
    await expect(
      page
        .locator(`${PANEL} [data-testid="gpu-compat-cells"]`)
        .locator('[data-finding-id="pip-downgrade"]')
    ).toBeVisible();
  });

  test('an unquoted specifier is flagged and never rewritten', async ({
    page
  }) => {
    await probedNotebook(page, 'quote.ipynb');
    await page.notebook.setCell(0, 'code', '!pip install bitsandbytes>=0.43.1');
    const cell = page.locator('.jp-Notebook .jp-Cell').first();
    await expect(cell.locator('.cm-lintRange-error')).toHaveText(
      'bitsandbytes>=0.43.1',
      { timeout: 10000 }
    );
    expect(await page.notebook.getCellTextInput(0)).toBe(
      '!pip install bitsandbytes>=0.43.1'
    );
  });

  test('a known GPU error in an output is explained in the sidebar', async ({
    page
  }) => {
    await probedNotebook(page, 'output.ipynb');
    await page.notebook.setCell(
      0,
      'code',
      [
        'import sys',
        'print("E external/local_xla/xla/stream_executor/cuda/cuda_dnn.cc:9261] Unable to register cuDNN factory: Attempting to register factory for plugin cuDNN when one has already been registered", file=sys.stderr)',
        'print("W tensorflow/core/common_runtime/gpu/gpu_device.cc:2256] Cannot dlopen some GPU libraries. Skipping registering GPU devices...", file=sys.stderr)'
      ].join('\n')
    );
    await page.notebook.runCell(0);
    await expect(
      page.locator('.Toastify__toast').filter({ hasText: 'Cell 1 output:' })
    ).toBeVisible({ timeout: 10000 });
    await page.sidebar.openTab('jp-gpu-compat-panel');
    const cells = page.locator(`${PANEL} [data-testid="gpu-compat-cells"]`);
    await expect(
      cells.locator('[data-finding-id="tf-cuda-libs-missing"]')
    ).toBeVisible();
    await page.screenshot({ path: 'screenshots/lab-output-watcher.png' });
  });
});

test.describe('status bar and report', () => {
  test('the status-bar item shows the state and opens the panel', async ({
    page
  }) => {
    await probedNotebook(page, 'status.ipynb');
    const item = page.getByTestId('gpu-compat-statusbar');
    await expect(item).toContainText(/\d GPU errors?/);
    await page.sidebar.close('left');
    await item.click();
    await expect(page.locator(PANEL)).toBeVisible();
  });

  test('Copy report puts the environment and the findings on the clipboard', async ({
    page
  }) => {
    await probedNotebook(page, 'report.ipynb');
    await page.evaluate(() => {
      // Read what JupyterLab's Clipboard.copyToSystem puts on the copy event.
      window.addEventListener('copy', event => {
        (window as any).__copied = event.clipboardData?.getData('text');
      });
    });
    await page.getByTestId('gpu-compat-copy-markdown').click();
    const markdown = await page.evaluate(() => (window as any).__copied);
    expect(markdown).toContain('## GPU compatibility report');
    expect(markdown).toContain('| GPU | Tesla T4 (CC 7.5, 15360 MiB) |');
    expect(markdown).toContain('`bnb-missing-binary`');
    await page.getByTestId('gpu-compat-copy-json').click();
    const json = JSON.parse(
      await page.evaluate(() => (window as any).__copied)
    );
    expect(json.facts.gpus[0].name).toBe('Tesla T4');
    expect(json.findings.map((f: { id: string }) => f.id)).toContain(
      'bnb-missing-binary'
    );
  });
});
