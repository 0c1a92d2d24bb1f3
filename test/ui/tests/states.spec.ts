import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import kernelLoader from '../../../src/_generated/kernelLoader.json';
import { kernelExec } from '../kernel';
import { PANEL, probedNotebook, setSetting } from '../lab';

/** The probe module as the kernel holds it, to make its report hang, fail or lie. */
const PROBE = `__import__('sys').modules[${JSON.stringify(kernelLoader.module_name)}]`;

/** A new notebook whose kernel has answered one probe; returns the status line locator. */
async function probed(page: IJupyterLabPageFixture, name: string) {
  await probedNotebook(page, name);
  return page.locator(PANEL).getByTestId('gpu-compat-status');
}

async function probeAgain(page: IJupyterLabPageFixture) {
  await page.evaluate(() =>
    (window as any).jupyterapp.commands.execute(
      'jupyterlab-gpu-compat:run-probe'
    )
  );
}

test.describe('every failure is a state with a message', () => {
  test('a probe that does not answer in time', async ({ page }) => {
    const status = await probed(page, 'timeout.ipynb');
    await setSetting(page, 'probeTimeoutSeconds', 2);
    await kernelExec(
      page,
      `${PROBE}.report = lambda *a, **k: __import__('time').sleep(8)`
    );
    await probeAgain(page);
    await expect(status).toContainText('did not answer within 2 s', {
      timeout: 20000
    });
  });

  test('a reply that fails the facts schema names the field', async ({
    page
  }) => {
    const status = await probed(page, 'garbled.ipynb');
    await kernelExec(
      page,
      `${PROBE}.report = lambda *a, **k: type('R', (), {'_repr_json_': lambda self: {'schema_version': 'x'}})()`
    );
    await probeAgain(page);
    await expect(status).toContainText('not with valid facts');
    await expect(status).toContainText('$.python is required');
  });

  test('a probe that raises shows the error', async ({ page }) => {
    const status = await probed(page, 'raises.ipynb');
    await kernelExec(page, `${PROBE}.report = lambda *a, **k: 1 / 0`);
    await probeAgain(page);
    await expect(status).toContainText('The probe failed: ZeroDivisionError');
  });

  test('a kernel that is shut down', async ({ page }) => {
    const status = await probed(page, 'shutdown.ipynb');
    await page.evaluate(() =>
      (window as any).jupyterapp.shell.currentWidget.sessionContext.shutdown()
    );
    await expect(status).toContainText('no kernel');
    await probeAgain(page);
    await expect(status).toContainText('no kernel');
  });
});
