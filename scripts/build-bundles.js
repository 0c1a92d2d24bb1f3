// Bundles the two self-contained scripts the Python package ships, with webpack's Node API (the
// webpack JupyterLab's builder already brings, no CLI package needed):
// - report.js (engine, table, view), put in the text/html output for frontends that cannot load the
//   JupyterLab extension;
// - cli.js (the command line), which `jupyterlab-gpu-compat` / `python -m jupyterlab_gpu_compat`
//   run with node, so a container image needs Python and node, not npm.
const path = require('path');
const webpack = require('webpack');

const root = path.resolve(__dirname, '..');
const forTheEngine = require('./json-for-the-engine');

const bundle = (entry, filename, target) => ({
  mode: 'production',
  context: root,
  entry,
  target,
  module: { rules: [forTheEngine] },
  output: {
    path: path.join(root, 'jupyterlab_gpu_compat'),
    filename,
    iife: true
  },
  performance: { hints: false },
  devtool: false
});

webpack(
  [
    bundle('./lib/report/standalone.js', 'report.js', ['web', 'es2020']),
    bundle('./build/cli/cli.js', 'cli.js', ['node18'])
  ],
  (error, stats) => {
    if (error || stats.hasErrors()) {
      console.error(error || stats.toString('errors-only'));
      process.exit(1);
    }
    for (const name of ['report.js', 'cli.js']) {
      const { size } = require('fs').statSync(
        path.join(root, 'jupyterlab_gpu_compat', name)
      );
      console.log(
        `jupyterlab_gpu_compat/${name}: ${(size / 1024).toFixed(1)} KiB`
      );
    }
  }
);
