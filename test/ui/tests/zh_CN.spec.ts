import {
  expect,
  galata,
  IJupyterLabPageFixture,
  test
} from '@jupyterlab/galata';
import { notebookOn } from '../lab';

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

async function openNotebook(
  page: IJupyterLabPageFixture,
  path: string,
  kernel: string
) {
  await notebookOn(page, path, kernel);
  await page.sidebar.openTab('jp-gpu-compat-panel');
}

test('the panel speaks Simplified Chinese when JupyterLab does, findings included', async ({
  page,
  tmpPath
}) => {
  await openNotebook(page, `${tmpPath}/zh.ipynb`, 'python3');
  const panel = page.locator(PANEL);
  await expect(panel.getByTestId('gpu-compat-summary')).toContainText(
    '个问题',
    { timeout: 60000 }
  );
  // The engine's own words: the finding, its evidence and its fix, with the English id kept.
  const finding = panel.locator('[data-finding-id="bnb-missing-binary"]');
  await expect(finding).toContainText(
    'bitsandbytes 0.40.2 没有适用于 CUDA 12.4 的二进制文件'
  );
  await expect(finding).toContainText(
    '将 bitsandbytes 升级到 0.43.1 或更新版本'
  );
  await expect(finding.locator('.jp-GpuCompat-id')).toHaveText(
    'bnb-missing-binary'
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

test('a healthy stack in Simplified Chinese', async ({ page, tmpPath }) => {
  // The "healthy" kernel: the same fake T4 on a CUDA 12.4 driver, with only torch 2.5.1+cu124.
  await openNotebook(page, `${tmpPath}/zh-healthy.ipynb`, 'healthy');
  const panel = page.locator(PANEL);
  await expect(panel.getByTestId('gpu-compat-summary')).toHaveText(
    '未发现问题',
    {
      timeout: 60000
    }
  );
  await expect(panel.getByTestId('gpu-compat-environment')).toContainText(
    '2.5.1+cu124'
  );
  await page.screenshot({ path: 'screenshots/lab-panel-zh_CN-healthy.png' });
});
