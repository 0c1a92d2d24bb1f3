/** Helpers for the Galata (JupyterLab) browser tests. */
import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import { kernelIdle } from './kernel';

export const PANEL = '#jp-gpu-compat-panel';

/** Open a new notebook and wait until the panel shows the probe's answer. */
export async function probedNotebook(
  page: IJupyterLabPageFixture,
  name: string
): Promise<void> {
  await page.notebook.createNew(name, { kernel: 'python3' });
  await kernelIdle(page);
  await page.sidebar.openTab('jp-gpu-compat-panel');
  await expect(page.locator(`${PANEL} .jp-GpuCompat-footer`)).toBeVisible({
    timeout: 60000
  });
}

/** Set one of the extension's settings through JupyterLab's setting registry. */
export async function setSetting(
  page: IJupyterLabPageFixture,
  key: string,
  value: unknown
): Promise<void> {
  await page.evaluate(
    async ([key, value]) => {
      const registry = await (window as any).galata.getPlugin(
        '@jupyterlab/apputils-extension:settings'
      );
      await registry.set('jupyterlab-gpu-compat:plugin', key, value);
    },
    [key, value] as const
  );
}
