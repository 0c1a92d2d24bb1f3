// Bundles the self-contained report script (engine, table, view) that the Python package puts in
// its text/html output for frontends that cannot load the JupyterLab extension. webpack's Node API:
// the webpack that JupyterLab's builder already brings, no CLI package needed.
const path = require('path');
const webpack = require('webpack');

const root = path.resolve(__dirname, '..');
webpack(
  {
    mode: 'production',
    context: root,
    entry: './lib/report/standalone.js',
    target: ['web', 'es2020'],
    output: {
      path: path.join(root, 'jupyterlab_gpu_compat'),
      filename: 'report.js',
      iife: true
    },
    performance: { hints: false },
    devtool: false
  },
  (error, stats) => {
    if (error || stats.hasErrors()) {
      console.error(error || stats.toString('errors-only'));
      process.exit(1);
    }
    const { size } = require('fs').statSync(
      path.join(root, 'jupyterlab_gpu_compat', 'report.js')
    );
    console.log(
      `jupyterlab_gpu_compat/report.js: ${(size / 1024).toFixed(1)} KiB`
    );
  }
);
