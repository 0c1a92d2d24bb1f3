/**
 * The self-contained script the Python package puts in its text/html output (bundled to
 * jupyterlab_gpu_compat/report.js): the whole engine, the bundled table and the report view.
 * In a page it defines `jupyterlabGpuCompat.renderReport`; run by node it reads a payload on
 * stdin and prints the findings as text, so the kernel can write the text/plain part too.
 */
import {
  findingsOf,
  IReportPayload,
  payloadTranslator,
  plainReport,
  renderReport
} from './view';

declare const process:
  | {
      stdin: {
        on(event: string, listener: (chunk?: unknown) => void): void;
      };
      stdout: { write(text: string): void };
    }
  | undefined;

if (typeof document !== 'undefined') {
  (globalThis as Record<string, unknown>).jupyterlabGpuCompat = {
    renderReport
  };
} else if (typeof process !== 'undefined') {
  let input = '';
  process.stdin.on('data', chunk => (input += String(chunk)));
  process.stdin.on('end', () => {
    let payload: IReportPayload;
    try {
      payload = JSON.parse(input);
    } catch {
      payload = { facts: null }; // findingsOf then says the facts are not valid
    }
    // The kernel's text/plain part: in the payload's language, as the page would show it.
    const result = findingsOf(payload);
    const plain = plainReport(
      result,
      typeof payload?.cell === 'string',
      payloadTranslator(payload)
    );
    process.stdout.write(
      JSON.stringify({ ok: result.ok, error: result.error, plain })
    );
  });
}
