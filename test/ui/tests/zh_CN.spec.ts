import { expect, galata, test } from '@jupyterlab/galata';
import { kernelIdle } from '../kernel';

const PANEL = '#jp-gpu-compat-panel';

// JupyterLab in Simplified Chinese (the language pack is a test dependency): the panel's
// strings come from the catalog the Python package ships under jupyterlab_gpu_compat/locale.
test.use({
  mockSettings: {
    ...galata.DEFAULT_SETTINGS,
    '@jupyterlab/translation-extension:plugin': { locale: 'zh_CN' }
  },
  // Galata waits for a tab labelled "Launcher", which is "启动页" here.
  waitForApplication: async ({}, use) => {
    await use(async page => {
      await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
    });
  }
});

test('the panel speaks Simplified Chinese when JupyterLab does', async ({
  page,
  tmpPath
}) => {
  const path = `${tmpPath}/zh.ipynb`;
  await page.contents.uploadContent(
    JSON.stringify({
      cells: [],
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
      nbformat: 4,
      nbformat_minor: 5
    }),
    'text',
    path
  );
  await page.evaluate(
    path =>
      (window as any).jupyterapp.commands.execute('docmanager:open', {
        path,
        factory: 'Notebook',
        kernel: { name: 'python3' }
      }),
    path
  );
  await kernelIdle(page);
  await page.sidebar.openTab('jp-gpu-compat-panel');
  const panel = page.locator(PANEL);
  await expect(panel.getByTestId('gpu-compat-summary')).toContainText(
    '个问题',
    { timeout: 60000 }
  );
  await expect(panel.locator('h3').filter({ hasText: '环境' })).toBeVisible();
  await expect(
    panel.locator(
      '[data-finding-id="bnb-missing-binary"] .jp-GpuCompat-severity'
    )
  ).toHaveText('错误');
  await expect(
    panel
      .locator('[data-finding-id="bnb-missing-binary"]')
      .getByRole('button', { name: /插入修复单元格/ })
  ).toBeVisible();
  await expect(page.getByRole('tab', { name: 'GPU 兼容性' })).toBeVisible();
  await page.screenshot({ path: 'screenshots/lab-panel-zh_CN.png' });
});
