/**
 * Pasted reports read as facts: `python -m torch.utils.collect_env`, `nvidia-smi`, `pip list` /
 * `pip freeze`, `conda list`, `accelerate env`, `python -m bitsandbytes`,
 * `jax.print_environment_info()`. What a report states becomes partial facts (facts.partial, and
 * `scans` only for what the report lists in full), so a rule that fires on an absence stays quiet.
 */
import { capabilityOf } from './gpuNames';
import { IFacts, unknownFacts } from './facts';
import { ICompatTable } from './table';
import { cudaOfLocalLabel, parseCuda } from './versions';

export interface IReportFacts {
  facts: IFacts;
  /** The kinds of report recognised ("collect_env", "nvidia-smi", …). */
  kinds: string[];
}

const FIELD = (name: string) =>
  new RegExp(`^\\s*-?\\s*${name}\\s*:\\s*(.+?)\\s*$`, 'm');

function field(text: string, name: string): string | null {
  const value = FIELD(name).exec(text)?.[1] ?? null;
  return value && !/^(N\/A|None|Could not collect)$/i.test(value)
    ? value
    : null;
}

function setPackage(facts: IFacts, name: string, version: string): void {
  facts.packages[name.toLowerCase().replace(/[-_.]+/g, '-')] = version;
}

/**
 * The CUDA of a torch version as a report prints it: its local label (+cu124, +cpu), else, for an
 * unlabelled version, the table's default Linux wheel (what `pip install torch` gives there).
 */
function torchCuda(version: string, table: ICompatTable): string | null {
  const labelled = cudaOfLocalLabel(version);
  return labelled !== undefined
    ? labelled
    : (table.torch.rows.find(r => r.version === version)?.default_cuda ?? null);
}

/** Read whatever reports the text holds; null when it holds none. */
export function factsFromReport(
  text: string,
  table: ICompatTable
): IReportFacts | null {
  const facts: IFacts = {
    ...unknownFacts(),
    probe_version: 'pasted report',
    partial: true,
    scans: {}
  };
  const kinds: string[] = [];
  const gpuNames: string[] = [];

  // collect_env
  if (/PyTorch version:|Is CUDA available:/.test(text)) {
    kinds.push('collect_env');
    const torch = field(text, 'PyTorch version');
    const built = field(text, 'CUDA used to build PyTorch');
    if (torch) {
      facts.frameworks.torch = {
        version: torch,
        cuda: built ?? torchCuda(torch, table)
      };
      setPackage(facts, 'torch', torch);
    }
    const driver = field(text, 'Nvidia driver version');
    if (driver) {
      facts.driver.version = driver;
    }
    const python = /Python version:\s*(\d+\.\d+(?:\.\d+)?)/.exec(text)?.[1];
    if (python) {
      facts.python.version = python;
    }
    const os = field(text, 'OS');
    if (os && /windows/i.test(os)) {
      facts.platform.system = 'Windows';
    } else if (os && /mac/i.test(os)) {
      facts.platform.system = 'Darwin';
    }
    const gpus =
      /GPU models and configuration:\s*([\s\S]*?)(?:\n\S[^\n]*:|\n\n)/.exec(
        text
      )?.[1] ?? '';
    for (const m of gpus.matchAll(/GPU \d+:\s*([^\n]+)/g)) {
      gpuNames.push(m[1].trim());
    }
    const single = field(text, 'GPU models and configuration');
    if (!gpuNames.length && single && !/^GPU \d+/.test(single)) {
      gpuNames.push(single);
    }
    if (/Is CUDA available:\s*False/.test(text) && !gpuNames.length) {
      facts.scans!.gpus = false; // torch could not ask: the GPU list says nothing
    }
    for (const m of text.matchAll(
      /^\[(?:pip3?|conda)\]\s+([A-Za-z0-9_.-]+)(?:==|\s+)([^\s]+)/gm
    )) {
      setPackage(facts, m[1], m[2]);
    }
  }

  // nvidia-smi
  const smi =
    /NVIDIA-SMI\s+([\d.]+)\s+Driver Version:\s*([\d.]+)(?:\s+CUDA Version:\s*(\d+\.\d+))?/.exec(
      text
    );
  if (smi) {
    kinds.push('nvidia-smi');
    facts.driver.version = smi[2];
    facts.driver.cuda_version = smi[3] ?? facts.driver.cuda_version;
    for (const m of text.matchAll(
      /^\|\s+\d+\s+([A-Za-z][\w .-]*?)\s{2,}(?:On|Off)\s*\|/gm
    )) {
      gpuNames.push(m[1].trim());
    }
    facts.scans!.gpus = true;
  }
  if (
    /NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver/.test(
      text
    )
  ) {
    kinds.push('nvidia-smi');
    facts.errors.push({
      step: 'nvidia-smi',
      message:
        "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver"
    });
    facts.scans!.gpus = true;
  }

  // pip list / pip freeze / conda list: a whole environment's packages
  const pipList = [
    ...text.matchAll(/^([A-Za-z0-9][A-Za-z0-9_.-]*)\s{2,}(\d[^\s]*)\s*$/gm)
  ];
  const freeze = [
    ...text.matchAll(/^([A-Za-z0-9][A-Za-z0-9_.-]*)==(\d[^\s;]*)\s*$/gm)
  ];
  const conda = [
    ...text.matchAll(
      /^([a-z0-9][a-z0-9_.-]*)\s+(\d[^\s]*)\s+(\S+)(?:\s+(\S+))?\s*$/gm
    )
  ].filter(m => m[4] !== undefined || /^(py|cuda|h[0-9a-f]{6})/.test(m[3]));
  const listed =
    pipList.length >= 5 ? pipList : freeze.length >= 5 ? freeze : [];
  if (listed.length) {
    kinds.push(listed === pipList ? 'pip list' : 'pip freeze');
    listed.forEach(m => setPackage(facts, m[1], m[2]));
    facts.scans!.packages = true;
  } else if (
    conda.length >= 5 &&
    /# packages in environment|Name\s+Version\s+Build/.test(text)
  ) {
    kinds.push('conda list');
    conda.forEach(m =>
      setPackage(facts, m[1] === 'pytorch' ? 'torch' : m[1], m[2])
    );
    const build = conda.find(m => m[1] === 'pytorch')?.[3];
    const cuda = build && /cuda(\d+\.\d+)/.exec(build)?.[1];
    if (cuda && facts.packages.torch) {
      facts.frameworks.torch = { version: facts.packages.torch, cuda };
    }
    facts.scans!.packages = true;
  }

  // accelerate env
  const accelerate =
    /PyTorch version \(GPU\?\):\s*([^\s]+)\s*\((True|False)\)/.exec(text);
  if (accelerate) {
    kinds.push('accelerate env');
    setPackage(facts, 'torch', accelerate[1]);
    facts.frameworks.torch ??= {
      version: accelerate[1],
      cuda: torchCuda(accelerate[1], table)
    };
    const gpu = field(text, 'GPU type');
    if (gpu) {
      gpuNames.push(gpu);
    }
  }

  // python -m bitsandbytes
  const bnb = /bitsandbytes==([\d.]+\w*)/.exec(text);
  if (bnb && /CUDA specs|bitsandbytes library load|CUDA SETUP/.test(text)) {
    kinds.push('python -m bitsandbytes');
    setPackage(facts, 'bitsandbytes', bnb[1]);
    facts.frameworks.bitsandbytes = { version: bnb[1], binaries: [] };
    const cuda = /cuda_version_string='(\d+)'/.exec(text)?.[1];
    if (cuda && !facts.frameworks.torch) {
      const parsed = parseCuda(cuda)!;
      facts.frameworks.torch = {
        version: 'unknown',
        cuda: `${parsed[0]}.${parsed[1]}`
      };
    }
  }

  // jax.print_environment_info()
  const jax = /^jax:\s+([\d.]+)\s*$/m.exec(text);
  const jaxlib = /^jaxlib:\s+([\d.]+)\s*$/m.exec(text);
  if (jax && jaxlib) {
    kinds.push('jax.print_environment_info');
    facts.frameworks.jax = { version: jax[1], jaxlib: jaxlib[1], plugins: {} };
    setPackage(facts, 'jax', jax[1]);
    setPackage(facts, 'jaxlib', jaxlib[1]);
  }
  for (const name of [
    'jax-cuda12-plugin',
    'jax-cuda12-pjrt',
    'jax-cuda13-plugin',
    'jax-cuda13-pjrt'
  ]) {
    const version = facts.packages[name];
    if (version && facts.frameworks.jax) {
      facts.frameworks.jax.plugins[name] = version;
    }
  }

  // Frameworks a package list names but no other report described.
  if (!facts.frameworks.torch && facts.packages.torch) {
    facts.frameworks.torch = {
      version: facts.packages.torch,
      cuda: torchCuda(facts.packages.torch, table)
    };
  }
  if (!kinds.length) {
    return null;
  }
  const unique = [...new Set(gpuNames)];
  if (unique.length) {
    facts.gpus = unique.map((name, index) => ({
      index,
      name,
      compute_capability: capabilityOf(name, table)
    }));
    facts.scans!.gpus = true;
  }
  return { facts, kinds: [...new Set(kinds)] };
}
