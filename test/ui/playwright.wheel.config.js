// The smoke test of the installed wheel: JupyterLab from the fresh venv that scripts/test-wheel.sh made
// (WHEEL_VENV), not the development install.
const base = require('./playwright.config');

const PORT = process.env.GPU_COMPAT_WHEEL_PORT || '8897';
const BASE = `http://127.0.0.1:${PORT}`;
const venv = process.env.WHEEL_VENV;
if (!venv) {
  throw new Error(
    'WHEEL_VENV: the venv the wheel was installed into (scripts/test-wheel.sh)'
  );
}

module.exports = {
  ...base,
  testDir: './wheel-tests',
  reporter: [['list']],
  use: { ...base.use, baseURL: BASE },
  webServer: {
    command: `GPU_COMPAT_TEST_PORT=${PORT} ${venv}/bin/jupyter lab --config jupyter_server_test_config.py`,
    url: `${BASE}/lab`,
    timeout: 120 * 1000,
    reuseExistingServer: false
  }
};
