/** Shared by the JupyterLab and Notebook 7 browser tests. */
import type { Page } from '@playwright/test';

/** Wait until the current notebook's kernel is idle. */
export async function kernelIdle(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      (window as any).jupyterapp?.shell?.currentWidget?.sessionContext?.session
        ?.kernel?.status === 'idle',
    undefined,
    { timeout: 60000 }
  );
}
