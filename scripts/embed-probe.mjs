// Embeds python_kernel_probe/probe.py (the probe's single source) where its users need it:
// - src/_generated/kernelLoader.json, the code that loads it into a kernel (its text inside) and
//   the expression that asks it: read by the extension, the Python tests and the benchmark alike;
// - jupyterlab_gpu_compat/probe.py, so `python -m jupyterlab_gpu_compat.probe` runs the same file;
// - src/_generated/version.json, the package's version for the command line.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = readFileSync(
  join(root, 'python_kernel_probe', 'probe.py'),
  'utf8'
);
const sha256 = createHash('sha256').update(source).digest('hex');

// The module's name carries the source's hash, so two versions of the probe never mix in a kernel.
const moduleName = `_jupyterlab_gpu_compat_probe_${sha256.slice(0, 12)}`;
const loader = {
  module_name: moduleName,
  // Evaluates to the probe's Report, or raises KeyError while the module is not loaded.
  report_expression: `__import__('sys').modules['${moduleName}'].report()`,
  // One expression that defines the module and leaves no name in the user's namespace
  // (a JSON string literal is also a valid Python string literal).
  loader_code:
    `(lambda sys, types, src: sys.modules.setdefault('${moduleName}', ` +
    `(lambda m: (m.__dict__.update(__name__='${moduleName}'), ` +
    `exec(compile(src, '<jupyterlab-gpu-compat probe>', 'exec'), m.__dict__), ` +
    `m.__dict__.update(_SOURCE=src), m)[-1])(types.ModuleType('${moduleName}'))))` +
    `(__import__('sys'), __import__('types'), ${JSON.stringify(source)})`
};

mkdirSync(join(root, 'src', '_generated'), { recursive: true });
// The package's version, for `jupyterlab-gpu-compat --version` wherever the CLI is bundled.
const { version } = JSON.parse(
  readFileSync(join(root, 'package.json'), 'utf8')
);
writeFileSync(
  join(root, 'src', '_generated', 'version.json'),
  JSON.stringify({ version }) + '\n'
);
writeFileSync(join(root, 'jupyterlab_gpu_compat', 'probe.py'), source);
writeFileSync(
  join(root, 'src', '_generated', 'kernelLoader.json'),
  JSON.stringify(loader, null, 1) + '\n'
);
