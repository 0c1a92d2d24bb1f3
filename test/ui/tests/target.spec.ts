import { expect, test } from '@jupyterlab/galata';
import { PANEL, probedNotebook } from '../lab';

test.describe('checking a notebook for a hosted runtime', () => {
  test('"Check install cells for" judges the install cells against a hosted runtime, before anything runs', async ({
    page
  }) => {
    // The test kernel: a fake T4 with driver 550 and a fake TensorFlow 2.18.0, on this Python.
    await probedNotebook(page, 'target.ipynb');
    await page.notebook.setCell(0, 'code', '!pip install tensorflow==2.15.1');
    const cells = page.locator(`${PANEL} [data-testid="gpu-compat-cells"]`);
    const picker = page.locator(`${PANEL} [data-testid="gpu-compat-target"]`);
    const mark = page
      .locator('.jp-Notebook .jp-Cell')
      .first()
      .locator('.cm-lintRange-error, .cm-lintRange-warning');

    // Colab 2025.07 shipped TensorFlow 2.18.0 on Python 3.11: the cell would downgrade it.
    await picker.locator('select').selectOption('colab@2025.07');
    await expect(picker).toContainText('Python 3.11.13');
    await expect(picker).toContainText('Tesla T4 with driver 550.54.15');
    await expect(
      cells.locator('[data-finding-id="pip-downgrade"]')
    ).toBeVisible({
      timeout: 10000
    });
    await mark.first().hover();
    await expect(page.locator('.cm-tooltip-lint')).toContainText(
      'This colab runtime has TensorFlow 2.18.0'
    );
    await page.screenshot({ path: 'screenshots/lab-target-colab.png' });

    // Colab's newest runtime has Python 3.13, where TensorFlow 2.15.1 has no wheel at all.
    await picker.locator('select').selectOption('colab');
    await expect(picker).toContainText('Python 3.13.15');
    await expect(cells.locator('[data-finding-id="pip-no-wheel"]')).toBeVisible(
      {
        timeout: 10000
      }
    );
    // The choice travels with the notebook, in its metadata.
    const metadata = () =>
      page.evaluate(
        () =>
          (window as any).jupyterapp.shell.currentWidget.model.getMetadata(
            'gpu_compat'
          )?.target ?? null
      );
    expect(await metadata()).toBe('colab');

    // A runtime's GPU pool: Kaggle's P100, with the driver its users' nvidia-smi showed.
    await picker.locator('select').selectOption('kaggle/p100');
    await expect(picker).toContainText(
      'Tesla P100-PCIE-16GB with driver 570.172.08'
    );

    // Back to the kernel: judged for its own Python and TensorFlow again.
    await picker.locator('select').selectOption('');
    await expect(cells.locator('[data-finding-id="pip-no-wheel"]')).toHaveCount(
      0,
      {
        timeout: 10000
      }
    );
    expect(await metadata()).toBeNull();
  });
});
