import { expect, test } from '@jupyterlab/galata';
import { PANEL, probedNotebook } from '../lab';

test.describe('checking a notebook for a hosted runtime', () => {
  test('"Check install cells for: Colab runtime 2025.07" judges the install cells against that runtime, before anything runs', async ({
    page
  }) => {
    // The test kernel has no TensorFlow: for it, this pin is no downgrade.
    await probedNotebook(page, 'target.ipynb');
    await page.notebook.setCell(0, 'code', '!pip install tensorflow==2.15.1');
    const cells = page.locator(`${PANEL} [data-testid="gpu-compat-cells"]`);
    await expect(cells).toHaveCount(0);

    const picker = page.locator(`${PANEL} [data-testid="gpu-compat-target"]`);
    await picker.locator('select').selectOption('colab@2025.07');
    // Colab 2025.07 shipped TensorFlow 2.18.0 on Python 3.11: the cell would downgrade it.
    await expect(cells.locator('[data-finding-id="pip-downgrade"]')).toBeVisible({
      timeout: 10000
    });
    await expect(picker).toContainText('Python 3.11.13');
    await expect(picker).toContainText('Tesla T4 with driver 550.54.15');
    const mark = page
      .locator('.jp-Notebook .jp-Cell')
      .first()
      .locator('.cm-lintRange-error');
    await expect(mark).toBeVisible({ timeout: 10000 });
    await mark.hover();
    await expect(page.locator('.cm-tooltip-lint')).toContainText(
      'This cell downgrades TensorFlow 2.18.0 to 2.15.1'
    );
    await page.screenshot({ path: 'screenshots/lab-target-colab.png' });
    // The choice travels with the notebook, in its metadata.
    const target = await page.evaluate(() => {
      const app = (window as any).jupyterapp;
      return app.shell.currentWidget.model.getMetadata('gpu_compat')?.target;
    });
    expect(target).toBe('colab@2025.07');

    // Back to the kernel: the cell is no downgrade here, and the underline goes.
    await picker.locator('select').selectOption('');
    await expect(mark).toHaveCount(0, { timeout: 10000 });
  });
});
