export namespace CommandIDs {
  export const runProbe = 'jupyterlab-gpu-compat:run-probe';
  export const openPanel = 'jupyterlab-gpu-compat:open-panel';
  export const copyMarkdown = 'jupyterlab-gpu-compat:copy-report-markdown';
  export const copyJson = 'jupyterlab-gpu-compat:copy-report-json';
}
