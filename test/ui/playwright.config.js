// Galata in Debian's chromium (browsers cannot be downloaded here).
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

const PORT = process.env.GPU_COMPAT_TEST_PORT || '8899';
const BASE = `http://127.0.0.1:${PORT}`;

const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run'
  ]
};

module.exports = {
  ...baseConfig,
  testDir: './tests',
  reporter: [['list'], ['html', { open: 'never' }]],
  workers: 1,
  retries: 1,
  use: {
    ...baseConfig.use,
    baseURL: BASE,
    browserName: 'chromium',
    launchOptions,
    video: 'off'
  },
  webServer: {
    command: 'jupyter lab --config jupyter_server_test_config.py',
    url: `${BASE}/lab`,
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI
  },
  launchOptions
};
