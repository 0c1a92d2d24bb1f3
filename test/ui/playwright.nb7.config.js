// Notebook 7: plain Playwright (Galata's fixtures assume the JupyterLab UI).
const { launchOptions } = require('./playwright.config');

const PORT = process.env.GPU_COMPAT_NB7_PORT || '8898';
const BASE = `http://127.0.0.1:${PORT}`;

module.exports = {
  testDir: './nb7-tests',
  reporter: [['list']],
  workers: 1,
  retries: 1,
  timeout: 90 * 1000,
  use: {
    baseURL: BASE,
    browserName: 'chromium',
    launchOptions,
    video: 'off',
    viewport: { width: 1280, height: 800 }
  },
  webServer: {
    command: 'jupyter notebook --config jupyter_server_nb7_config.py',
    url: `${BASE}/tree`,
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI
  }
};
