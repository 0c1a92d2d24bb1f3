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

/**
 * Run code silently in the current notebook's kernel (to break the probe on purpose, or to ask
 * it something); returns the text of `expression`, evaluated after the code, if one is given.
 */
export async function kernelExec(
  page: Page,
  code: string,
  expression = ''
): Promise<string | null> {
  return page.evaluate(
    async ([code, expression]) => {
      const kernel = (window as any).jupyterapp.shell.currentWidget
        .sessionContext.session.kernel;
      const reply = await kernel.requestExecute({
        code,
        silent: true,
        store_history: false,
        user_expressions: expression ? { value: expression } : {}
      }).done;
      return (
        reply.content.user_expressions?.value?.data?.['text/plain'] ?? null
      );
    },
    [code, expression] as const
  );
}

/** Whether the current notebook's kernel holds the probe module (it does once probed). */
export async function probeLoaded(page: Page): Promise<boolean> {
  // Ask only an idle kernel: a restarting one would hold the request until it is back.
  const idle = await page.evaluate(
    () =>
      (window as any).jupyterapp.shell.currentWidget.sessionContext.session
        ?.kernel?.status === 'idle'
  );
  const name = JSON.stringify(kernelLoader.module_name);
  return (
    idle &&
    (await kernelExec(page, '', `${name} in __import__('sys').modules`)) ===
      'True'
  );
}
