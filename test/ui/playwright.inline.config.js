// JupyterLab with the extension disabled: the notebook-mode report through text/html alone.
const base = require('./playwright.config');

const PORT = process.env.GPU_COMPAT_INLINE_PORT || '8897';
const BASE = `http://127.0.0.1:${PORT}`;

module.exports = {
  ...base,
  testDir: './inline-tests',
  use: { ...base.use, baseURL: BASE },
  webServer: {
    ...base.webServer,
    command: 'jupyter lab --config jupyter_server_inline_config.py',
    url: `${BASE}/lab`
  }
};
