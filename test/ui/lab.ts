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

/**
 * Open a new notebook on a named kernel, without Galata's kernel dialog (it looks for English
 * labels, and for kernels other than the default).
 */
export async function notebookOn(
  page: IJupyterLabPageFixture,
  path: string,
  kernel: string
): Promise<void> {
  await page.contents.uploadContent(
    JSON.stringify({
      cells: [
        {
          cell_type: 'code',
          source: '',
          metadata: {},
          outputs: [],
          execution_count: null
        }
      ],
      metadata: { kernelspec: { name: kernel, display_name: kernel } },
      nbformat: 4,
      nbformat_minor: 5
    }),
    'text',
    path
  );
  await page.evaluate(
    ([path, kernel]) =>
      (window as any).jupyterapp.commands.execute('docmanager:open', {
        path,
        factory: 'Notebook',
        kernel: { name: kernel }
      }),
    [path, kernel]
  );
  await kernelIdle(page);
}
