/**
 * Runs the probe in a notebook's kernel as a silent execution and reads its facts from the
 * reply's user_expressions (silent execution still shows printed output; expressions do not).
 * The probe module is defined once per kernel, under a name that carries its hash.
 */
import { Kernel, KernelMessage } from '@jupyterlab/services';
import { IFacts, parseFacts } from '../engine/facts';
import kernelLoader from '../_generated/kernelLoader.json';

/** Where a probe stands; every failure is a state with a message, never an exception. */
export type ProbeOutcome =
  | { kind: 'ready'; facts: IFacts; roundTripMs: number }
  | { kind: 'not-python'; language: string }
  | { kind: 'dead' }
  | { kind: 'timeout'; seconds: number }
  | { kind: 'invalid'; error: string }
  | { kind: 'failed'; error: string };

/** How the kernel loads the probe and asks it; generated with the probe's text (scripts/embed-probe.mjs). */
export const MODULE_NAME = kernelLoader.module_name;
export const REPORT_EXPRESSION = kernelLoader.report_expression;
export const LOADER_CODE = kernelLoader.loader_code;

export interface IRunOptions {
  /** How long the probe may run once the kernel has started it (queued time does not count). */
  timeoutMs: number;
  /** Called when the kernel starts executing the probe (it may first wait behind running cells). */
  onStarted?: () => void;
}

type ExpressionResult =
  KernelMessage.IExecuteReplyMsg['content'] extends infer C
    ? C extends { user_expressions: infer U }
      ? U
      : never
    : never;

async function execute(
  kernel: Kernel.IKernelConnection,
  code: string,
  options: IRunOptions
): Promise<{ expressions: ExpressionResult } | { timeout: true }> {
  const future = kernel.requestExecute(
    {
      code,
      silent: true,
      store_history: false,
      user_expressions: { facts: REPORT_EXPRESSION },
      allow_stdin: false
    },
    true
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<{ timeout: true }>(resolve => {
    const start = () => {
      options.onStarted?.();
      timer = setTimeout(() => resolve({ timeout: true }), options.timeoutMs);
    };
    future.onIOPub = msg => {
      if (
        msg.header.msg_type === 'status' &&
        (msg as KernelMessage.IStatusMsg).content.execution_state === 'busy'
      ) {
        start();
      }
    };
  });
  try {
    const reply = await Promise.race([future.done, timedOut]);
    if ('timeout' in reply) {
      return reply;
    }
    const content = reply.content as {
      status: string;
      user_expressions?: ExpressionResult;
    };
    return { expressions: content.user_expressions ?? {} };
  } finally {
    clearTimeout(timer);
    future.dispose();
  }
}

/** Run the probe once in `kernel`. */
export async function runProbe(
  kernel: Kernel.IKernelConnection,
  options: IRunOptions
): Promise<ProbeOutcome> {
  if (kernel.isDisposed || kernel.status === 'dead') {
    return { kind: 'dead' };
  }
  try {
    const info = await kernel.info;
    const language = info.language_info?.name ?? 'unknown';
    if (language.toLowerCase() !== 'python') {
      return { kind: 'not-python', language };
    }
    const started = performance.now();
    let answer = await execute(kernel, '', options);
    if ('expressions' in answer && isMissingModule(answer.expressions.facts)) {
      answer = await execute(kernel, LOADER_CODE, options);
    }
    if ('timeout' in answer) {
      return { kind: 'timeout', seconds: options.timeoutMs / 1000 };
    }
    return readFacts(answer.expressions.facts, performance.now() - started);
  } catch (error) {
    if (kernel.isDisposed || (kernel.status as string) === 'dead') {
      return { kind: 'dead' };
    }
    return {
      kind: 'failed',
      error: error instanceof Error ? error.message : String(error)
    };
  }
}

function isMissingModule(result: unknown): boolean {
  const r = result as { status?: string; ename?: string } | undefined;
  return r?.status === 'error' && r.ename === 'KeyError';
}

/** Turn one user_expressions entry into an outcome. */
export function readFacts(result: unknown, roundTripMs: number): ProbeOutcome {
  const r = result as
    | {
        status?: string;
        ename?: string;
        evalue?: string;
        data?: Record<string, unknown>;
      }
    | undefined;
  if (!r) {
    return {
      kind: 'invalid',
      error: 'The kernel did not answer the probe expression.'
    };
  }
  if (r.status !== 'ok') {
    return {
      kind: 'failed',
      error: `${r.ename ?? 'Error'}: ${r.evalue ?? ''}`.trim()
    };
  }
  const json = r.data?.['application/json'];
  if (json === undefined) {
    return {
      kind: 'invalid',
      error: 'The kernel answered without JSON: is it an IPython kernel?'
    };
  }
  const parsed = parseFacts(json);
  return parsed.ok
    ? { kind: 'ready', facts: parsed.value, roundTripMs }
    : { kind: 'invalid', error: parsed.error };
}
