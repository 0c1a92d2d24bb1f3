// The engine, the pip parser and the bundle, measured in one run against their goals.
//   npm run build:cli && node bench/engine.mjs
// Uses the compiled engine (build/cli) and the facts the real probe printed in the browser
// tests' fake environment (a T4 on a CUDA 12.4 driver, TensorFlow 2.18.0, bitsandbytes 0.40.2).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { diagnose, preflight, preflightCell } = require(
  join(root, 'build/cli/engine/diagnose.js')
);
const { parseCell } = require(join(root, 'build/cli/engine/pip/parse.js'));
const { explainOutput } = require(join(root, 'build/cli/engine/outputs.js'));
const { bundledTable } = require(join(root, 'build/cli/engine/table.js'));

const table = bundledTable();
const facts = JSON.parse(
  readFileSync(join(root, 'bench/facts-t4-tf218-bnb040.json'), 'utf8')
);

/** Median ms of `fn` over `repeat` runs (after a warm-up). */
function median(fn, repeat = 200) {
  for (let i = 0; i < 20; i++) fn();
  const times = [];
  for (let i = 0; i < repeat; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const CELL = [
  'import os',
  '# install what the tutorial needs',
  '!pip install -q tensorflow==2.15.1 "tf-keras~=2.15.0" bitsandbytes>=0.43.1',
  'print("done")'
].join('\n');

/** A 2,000-cell notebook: mostly code, one cell in ten with install commands. */
const notebook = Array.from({ length: 2000 }, (_, i) =>
  i % 10 === 0
    ? `%pip install "torch==2.${i % 6}.0" --index-url https://download.pytorch.org/whl/cu121\n!pip install transformers accelerate`
    : `x_${i} = model(batch_${i})\nloss = criterion(x_${i}, y)\nloss.backward()  # step ${i}`
);

const rows = [];
const goal = (name, ms, limit) => rows.push([name, ms, limit]);
goal(
  'diagnose(facts), per call',
  median(() => diagnose(facts, table)),
  5
);
goal(
  'diagnose, cold (a new facts object each call: nothing derived is kept)',
  median(() => diagnose(structuredClone(facts), table)),
  5
);
goal(
  'preflight(facts, one pip command), per call',
  median(() => preflightCell(facts, table, '!pip install tensorflow==2.15.1')),
  5
);
goal(
  'one 4-line cell per keystroke (parse + check)',
  median(() => preflightCell(facts, table, CELL)),
  1
);
goal(
  '2,000-cell notebook (parse + check every cell)',
  median(
    () => notebook.forEach(cell => preflight(facts, table, parseCell(cell))),
    20
  ),
  50
);
const log = readFileSync(
  join(root, 'test/jest/logs/tf-downgraded-colab.log'),
  'utf8'
);
goal(
  'explainOutput(TF failure log, facts)',
  median(() => explainOutput(log, facts, table)),
  5
);

const width = Math.max(...rows.map(r => r[0].length));
console.log(
  `${''.padEnd(width)}  ${'median ms'.padStart(10)}  ${'goal ms'.padStart(8)}  goal/measured`
);
for (const [name, ms, limit] of rows) {
  console.log(
    `${name.padEnd(width)}  ${ms.toFixed(3).padStart(10)}  ${String(limit).padStart(8)}  ${(limit / ms).toFixed(1)}x`
  );
}

// Linear time: the same adversarial pattern at 10x and 100x the size.
console.log(
  '\nparser on adversarial input (unclosed quotes, braces, redirections):'
);
const unit = '!pip install "a>=1 {b} c<2 \\\n';
let base = null;
for (const n of [100, 1000, 10000]) {
  const cell = unit.repeat(n);
  const ms = median(() => parseCell(cell), 5);
  base ??= ms / n;
  console.log(
    `  ${String(cell.length).padStart(8)} chars  ${ms.toFixed(2).padStart(8)} ms  time per unit vs smallest: ${(ms / n / base).toFixed(2)}x`
  );
}

// explain on a big log: a training log with the catalogue's lines sprinkled in (goal: 10 MB < 300 ms),
// and its time per line at 1, 10 and 100 times the size.
console.log('\nexplainOutput on a training log, no facts:');
const logLines = [
  ...log.split('\n'),
  'Epoch 12/100 - loss: 0.4312 - accuracy: 0.8731 - val_loss: 0.4510 - lr: 1.0e-04',
  '  File "/usr/local/lib/python3.11/site-packages/torch/nn/modules/module.py", line 1553, in _wrapped_call_impl',
  'UserWarning: CUDA initialization: The NVIDIA driver on your system is too old (found version 12040).',
  'step 4200: throughput 1830.2 samples/s, gpu mem 14.1 GiB, cuda graphs on'
];
let perLine = null;
for (const target of [100_000, 1_000_000, 10_000_000]) {
  const lines = [];
  let size = 0;
  for (let i = 0; size < target; i++) {
    const line = logLines[i % logLines.length];
    lines.push(line);
    size += line.length + 1;
  }
  const text = lines.join('\n');
  const ms = median(
    () => explainOutput(text, null, null),
    target > 1e6 ? 3 : 10
  );
  perLine ??= ms / lines.length;
  console.log(
    `  ${(text.length / 1e6).toFixed(1).padStart(5)} MB ${String(lines.length).padStart(8)} lines  ${ms.toFixed(1).padStart(8)} ms  time per line vs smallest: ${(ms / lines.length / perLine).toFixed(2)}x${target === 10_000_000 ? `  (goal < 300 ms: ${ms < 300 ? 'met' : 'NOT met'})` : ''}`
  );
}

const staticDir = join(root, 'jupyterlab_gpu_compat/labextension/static');
if (existsSync(staticDir)) {
  const all = readdirSync(staticDir).filter(f => f.endsWith('.js'));
  const size = files => {
    const raw = files.reduce(
      (sum, f) => sum + readFileSync(join(staticDir, f)).length,
      0
    );
    const gzip = files.reduce(
      (sum, f) => sum + gzipSync(readFileSync(join(staticDir, f))).length,
      0
    );
    return `${(raw / 1024).toFixed(1)} KiB raw, ${(gzip / 1024).toFixed(1)} KiB gzipped`;
  };
  // The runtimes' package lists are a chunk of their own, loaded after start.
  const lists = all.filter(f => f.includes('hostedPackages'));
  console.log(
    `\nlabextension JavaScript (${all.length - lists.length} files): ${size(all.filter(f => !lists.includes(f)))}; the runtimes' package lists, loaded after start: ${size(lists)}`
  );
}

// The script inside every notebook-mode text/html output (goal: under 100 KB gzipped).
const reportScript = join(root, 'jupyterlab_gpu_compat/report.js');
if (existsSync(reportScript)) {
  const bytes = readFileSync(reportScript);
  const gzip = gzipSync(bytes).length;
  console.log(
    `notebook-mode report.js: ${(bytes.length / 1024).toFixed(1)} KiB raw, ${(gzip / 1024).toFixed(1)} KiB gzipped (goal < ${(100000 / 1024).toFixed(1)} KiB gzipped: ${gzip < 100000 ? 'met' : 'NOT met'})`
  );
}
// The catalogues each notebook-mode output carries beside report.js (the reader's language).
const zh = join(
  root,
  'jupyterlab_gpu_compat/locale/zh_CN/LC_MESSAGES/jupyterlab_gpu_compat.json'
);
if (existsSync(zh)) {
  const bytes = readFileSync(zh);
  console.log(
    `zh_CN catalogue in the payload: ${(bytes.length / 1024).toFixed(1)} KiB raw, ${(gzipSync(bytes).length / 1024).toFixed(1)} KiB gzipped`
  );
}
