export namespace CommandIDs {
  export const runProbe = 'jupyterlab-gpu-compat:run-probe';
  export const openPanel = 'jupyterlab-gpu-compat:open-panel';
}
