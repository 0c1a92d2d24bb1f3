import { expect, test } from '@jupyterlab/galata';
import { kernelIdle, probeLoaded } from '../kernel';
import { PANEL, probedNotebook } from '../lab';

test.describe('GPU compatibility panel', () => {
  test('settings schema is registered', async ({ request }) => {
    const response = await request.get(
      '/lab/api/settings/jupyterlab-gpu-compat:plugin'
    );
    expect(response.ok()).toBeTruthy();
    const body = await response.json();
    expect(body.schema.properties.pipCommand.default).toBe('%pip');
    expect(body.schema.properties.autoProbe.default).toBe(true);
  });

  test('shows the probe facts and a finding for a broken environment', async ({
    page
  }) => {
    await page.notebook.createNew('broken.ipynb', { kernel: 'python3' });
    await kernelIdle(page);
    await page.sidebar.openTab('jp-gpu-compat-panel');
    const panel = page.locator(PANEL);
    // The fake nvidia-smi (CUDA 12.4, T4) and the fake bitsandbytes 0.40.2 come from the server config.
    await expect(panel.getByTestId('gpu-compat-environment')).toContainText(
      'Tesla T4',
      { timeout: 60000 }
    );
    await expect(panel.getByTestId('gpu-compat-environment')).toContainText(
      /Python\s*3\.\d+/
    );
    await expect(
      panel.locator('[data-finding-id="bnb-missing-binary"]')
    ).toBeVisible();
    await expect(panel.getByTestId('gpu-compat-summary')).toContainText(
      'problem'
    );
    await page.screenshot({ path: 'screenshots/lab-panel-finding.png' });
  });

  test('Insert fix cell inserts the exact fix below the active cell and does not run it', async ({
    page
  }) => {
    await page.notebook.createNew('fix.ipynb', { kernel: 'python3' });
    await page.notebook.setCell(0, 'code', 'print("first cell")');
    await kernelIdle(page);
    await page.sidebar.openTab('jp-gpu-compat-panel');
    const finding = page.locator(
      `${PANEL} [data-finding-id="bnb-missing-binary"]`
    );
    await expect(finding).toBeVisible({ timeout: 60000 });
    await finding.getByRole('button', { name: /Insert fix cell/ }).click();
    expect(await page.notebook.getCellCount()).toBe(3);
    const fixText = await page.notebook.getCellTextInput(1);
    expect(fixText).toBe(
      '# Upgrade bitsandbytes to 0.43.1 or newer\n%pip install -U "bitsandbytes>=0.43.1"\n# Then: Restart the kernel so the new packages are loaded. (Kernel > Restart Kernel)'
    );
    expect(await page.notebook.getCellTextInput(2)).toContain(
      'import bitsandbytes'
    );
    // Never run: the inserted cells have no execution count and no output.
    const prompts = await page
      .locator('.jp-Cell .jp-InputPrompt')
      .allInnerTexts();
    expect(prompts.slice(1).every(p => p.trim() === '[ ]:')).toBeTruthy();
    await page.screenshot({ path: 'screenshots/lab-insert-fix.png' });
  });

  test('a new kernel for the notebook is probed again', async ({ page }) => {
    await probedNotebook(page, 'rekernel.ipynb');
    const footer = page.locator(`${PANEL} .jp-GpuCompat-footer`);
    const before = await page.evaluate(
      () =>
        (window as any).jupyterapp.shell.currentWidget.sessionContext.session
          .kernel.id
    );
    await page.evaluate(() =>
      (
        window as any
      ).jupyterapp.shell.currentWidget.sessionContext.changeKernel({
        name: 'python3'
      })
    );
    await page.waitForFunction(
      (id: string) => {
        const kernel = (window as any).jupyterapp.shell.currentWidget
          .sessionContext.session?.kernel;
        return kernel && kernel.id !== id && kernel.status === 'idle';
      },
      before,
      { timeout: 60000 }
    );
    // The footer shows the probe of the new kernel once it answered.
    await expect(footer).toBeVisible({ timeout: 60000 });
    await expect(
      page.locator(PANEL).getByTestId('gpu-compat-environment')
    ).toContainText('Tesla T4');
  });

  test('a non-Python kernel gets a clear state', async ({ page }) => {
    await probedNotebook(page, 'other.ipynb');
    await page.evaluate(async () => {
      const app = (window as any).jupyterapp;
      const kernel = app.shell.currentWidget.sessionContext.session.kernel;
      const info = await kernel.info;
      // Pretend the kernel speaks another language: the probe runner reads language_info from kernel.info.
      Object.defineProperty(kernel, 'info', {
        value: Promise.resolve({ ...info, language_info: { name: 'R' } })
      });
      await app.commands.execute('jupyterlab-gpu-compat:run-probe');
    });
    await page.sidebar.openTab('jp-gpu-compat-panel');
    await expect(
      page.locator(PANEL).getByTestId('gpu-compat-status')
    ).toContainText('runs R, not Python');
  });
});

test.describe('GPU compatibility panel, kernel restart', () => {
  // Galata's kernel route mock answers every POST under /api/kernels with 201, and JupyterLab
  // rejects a restart that does not answer 200 ("Invalid response: 201 Created"), which leaves
  // the kernel connection stuck in "starting". Without the mock the restart is real.
  test.use({ kernels: null });

  test('a kernel restart is probed again', async ({ page }) => {
    await probedNotebook(page, 'restart.ipynb');
    const panel = page.locator(PANEL);
    await page.evaluate(() =>
      (
        window as any
      ).jupyterapp.shell.currentWidget.sessionContext.restartKernel()
    );
    // The restarted kernel has lost the probe module: only a new probe can have loaded it again.
    await expect.poll(() => probeLoaded(page), { timeout: 60000 }).toBe(true);
    await expect(panel.getByTestId('gpu-compat-environment')).toContainText(
      'Tesla T4'
    );
    await expect(panel.getByTestId('gpu-compat-status')).toHaveCount(0);
  });
});
