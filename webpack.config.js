// Merged into the labextension's build by JupyterLab's builder (package.json: jupyterlab.webpackConfig).
module.exports = {
  module: { rules: [require('./scripts/json-for-the-engine')] }
};
