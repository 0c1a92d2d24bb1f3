/** Shared by the JupyterLab and Notebook 7 browser tests. */
import type { Page } from '@playwright/test';
import kernelLoader from '../../src/_generated/kernelLoader.json';

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

/** Whether the current notebook's kernel holds the probe module (it does once probed). */
export async function probeLoaded(page: Page): Promise<boolean> {
  return page.evaluate(async (name: string) => {
    const kernel = (window as any).jupyterapp.shell.currentWidget.sessionContext
      .session?.kernel;
    if (!kernel || kernel.status !== 'idle') {
      return false;
    }
    const future = kernel.requestExecute({
      code: '',
      silent: true,
      store_history: false,
      user_expressions: {
        loaded: `${JSON.stringify(name)} in __import__('sys').modules`
      }
    });
    const reply = await future.done;
    return (
      reply.content.user_expressions.loaded?.data?.['text/plain'] === 'True'
    );
  }, kernelLoader.module_name);
}

/** Run code silently in the current notebook's kernel (to break the probe on purpose). */
export async function kernelExec(page: Page, code: string): Promise<void> {
  await page.evaluate(async (code: string) => {
    const kernel = (window as any).jupyterapp.shell.currentWidget.sessionContext
      .session.kernel;
    await kernel.requestExecute({ code, silent: true, store_history: false })
      .done;
  }, code);
}
