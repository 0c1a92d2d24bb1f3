/**
 * The report's CSS, carried by the script itself (the output must work offline and alone).
 * JupyterLab's theme variables where they exist, plain fallbacks elsewhere (Colab, VS Code).
 */
export const REPORT_CSS = `
.jp-GpuCompatReport {
  font-family: var(--jp-ui-font-family, system-ui, sans-serif);
  font-size: var(--jp-ui-font-size1, 13px);
  color: var(--jp-ui-font-color1, inherit);
  line-height: 1.4;
}
.jp-GpuCompatReport-header { margin: 4px 0; }
.jp-GpuCompatReport-summary { color: var(--jp-ui-font-color2, #666); }
.jp-GpuCompatReport-findings { list-style: none; margin: 0; padding: 0; }
.jp-GpuCompatReport-finding {
  border-left: 3px solid var(--jp-info-color1, #1976d2);
  margin: 6px 0;
  padding: 2px 8px;
}
.jp-GpuCompatReport-finding.jp-mod-error { border-color: var(--jp-error-color1, #d32f2f); }
.jp-GpuCompatReport-finding.jp-mod-warning { border-color: var(--jp-warn-color1, #f57c00); }
.jp-GpuCompatReport-finding p { margin: 4px 0; }
.jp-GpuCompatReport-title { font-weight: 600; }
.jp-GpuCompatReport-severity {
  font-size: 0.85em;
  text-transform: uppercase;
  color: var(--jp-ui-font-color2, #666);
}
.jp-GpuCompatReport dl { margin: 4px 0; }
.jp-GpuCompatReport dt { color: var(--jp-ui-font-color2, #666); font-weight: normal; }
.jp-GpuCompatReport dd { margin: 0 0 2px 12px; overflow-wrap: anywhere; font-family: var(--jp-code-font-family, monospace); }
.jp-GpuCompatReport-code { margin: 6px 0; }
.jp-GpuCompatReport-codeHead { display: flex; justify-content: space-between; align-items: center; gap: 8px; }
.jp-GpuCompatReport-code pre {
  margin: 2px 0;
  padding: 4px 6px;
  white-space: pre-wrap;
  overflow-wrap: anywhere;
  font-family: var(--jp-code-font-family, monospace);
  background: var(--jp-layout-color2, rgba(127, 127, 127, 0.12));
}
.jp-GpuCompatReport button {
  font: inherit;
  cursor: pointer;
  color: var(--jp-ui-font-color1, inherit);
  background: var(--jp-layout-color1, transparent);
  border: 1px solid var(--jp-border-color1, #999);
  border-radius: 2px;
  padding: 0 8px;
}
.jp-GpuCompatReport-sources, .jp-GpuCompatReport-footer { color: var(--jp-ui-font-color2, #666); font-size: 0.9em; }
.jp-GpuCompatReport-sources a { color: var(--jp-content-link-color, #1976d2); }
.jp-GpuCompatReport table { border-collapse: collapse; }
/* Hosts style output tables (JupyterLab right-aligns their cells): a report reads left to right. */
.jp-GpuCompatReport table th, .jp-GpuCompatReport table td { text-align: left !important; vertical-align: top; }
.jp-GpuCompatReport th { padding-right: 12px; font-weight: normal; color: var(--jp-ui-font-color2, #666); }
.jp-GpuCompatReport td { font-family: var(--jp-code-font-family, monospace); overflow-wrap: anywhere; }
.jp-GpuCompatReport-error { color: var(--jp-error-color1, #d32f2f); }
`;
