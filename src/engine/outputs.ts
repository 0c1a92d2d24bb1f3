/**
 * explainOutput(text, facts?, table?) -> the well-known GPU error lines in a cell's output or a
 * log, each tied to a finding id, with benign noise told apart from real failures. With the
 * kernel's facts, a line is linked to the diagnosis' own finding (exact versions and fixes).
 */
import { diagnose } from './diagnose';
import { IFacts } from './facts';
import { fix, pip, RESTART, VERIFY } from './fixes';
import { ICompatTable } from './table';
import { FindingId, IFinding, Severity, sortFindings } from './types';

export interface ILogMatch {
  /** 1-based line in the text. */
  line: number;
  text: string;
  id: FindingId;
  /** Noise that needs no action (in this output). */
  benign: boolean;
  note: string;
}

export interface IOutputExplanation {
  matches: ILogMatch[];
  findings: IFinding[];
}

interface IPattern {
  test: RegExp;
  id: FindingId;
  severity: Severity;
  title: string;
  note: (m: RegExpExecArray) => string;
  benign?: boolean;
}

const PATTERNS: IPattern[] = [
  {
    test: /Unable to register (cuDNN|cuFFT|cuBLAS) factory|Attempting to register factory for plugin (cuDNN|cuFFT|cuBLAS)/,
    id: 'duplicate-cuda-registration',
    severity: 'info',
    title: 'TensorFlow logs duplicate CUDA factory registrations',
    note: m =>
      `TensorFlow and XLA both try to register the ${m[1] ?? m[2]} factory; the second attempt is logged.`,
    benign: true
  },
  {
    test: /Could not find TensorRT/,
    id: 'tensorrt-missing',
    severity: 'info',
    title: 'TensorRT is not installed',
    note: () =>
      'Only TF-TRT needs TensorRT; training and inference on the GPU work without it.',
    benign: true
  },
  {
    test: /Cannot dlopen some GPU libraries/,
    id: 'tf-cuda-libs-missing',
    severity: 'error',
    title: 'TensorFlow cannot load its CUDA libraries and runs on the CPU',
    note: () =>
      'TensorFlow did not find the CUDA/cuDNN libraries it was built for and skipped registering the GPU.'
  },
  {
    test: /Could not load dynamic library '(libnvinfer(?:_plugin)?\.so[^']*)'/,
    id: 'tensorrt-missing',
    severity: 'info',
    title: 'TensorRT is not installed',
    note: m =>
      `${m[1]} is TensorRT, which TensorFlow needs only for TF-TRT; training and inference on the GPU work without it.`,
    benign: true
  },
  {
    test: /Could not load dynamic library '(lib(cudart|cudnn|cublas|cufft|curand|cusolver|cusparse)[^']*)'/,
    id: 'tf-cuda-libs-missing',
    severity: 'error',
    title: 'TensorFlow cannot load a CUDA library',
    note: m =>
      `${m[1]} is not on the library path: the CUDA version TensorFlow was built for is not installed.`
  },
  {
    test: /Required library version not found: (libbitsandbytes_cuda(\d+)[^\s]*)/,
    id: 'bnb-missing-binary',
    severity: 'error',
    title: 'bitsandbytes has no binary for this CUDA version',
    note: m =>
      `This bitsandbytes does not ship ${m[1]}; it falls back to the CPU.`
  },
  {
    test: /The NVIDIA driver on your system is too old \(found version (\d+)\)/,
    id: 'driver-too-old',
    severity: 'error',
    title: 'The NVIDIA driver is older than the CUDA this torch was built for',
    note: m =>
      `torch asked the driver, which supports CUDA ${Math.floor(Number(m[1]) / 1000)}.${Math.floor((Number(m[1]) % 1000) / 10)} at most: older than the CUDA of this build.`
  },
  {
    test: /CUDA driver version is insufficient for CUDA runtime version/,
    id: 'driver-too-old',
    severity: 'error',
    title: 'The NVIDIA driver is older than the CUDA runtime needs',
    note: () =>
      'A library built for a newer CUDA than the driver supports was loaded.'
  },
  {
    test: /no kernel image is available for execution on the device/,
    id: 'compute-capability-unsupported',
    severity: 'error',
    title: 'The framework has no kernels for this GPU architecture',
    note: () => "The build does not include this GPU's compute capability."
  },
  {
    test: /Found no NVIDIA driver on your system|no CUDA-capable device is detected/,
    id: 'no-gpu-visible',
    severity: 'error',
    title: 'No NVIDIA GPU is visible to this process',
    note: () =>
      'The driver or the device nodes are missing (a container started without GPUs?).'
  },
  {
    test: /Torch not compiled with CUDA enabled/,
    id: 'torch-cpu-build',
    severity: 'error',
    title: 'torch is a CPU-only build',
    note: () => 'This torch was built without CUDA.'
  },
  {
    test: /(lib(?:cudnn|cublas|cublasLt|cudart|cusparse|cufft|curand|nccl|nvJitLink)[\w.]*\.so[\w.]*): cannot open shared object file/,
    id: 'torch-cuda-deps-missing',
    severity: 'error',
    title: 'A CUDA library a framework needs cannot be loaded',
    note: m =>
      `${m[1]} is missing: the nvidia-* package that provides it is not installed or has another version.`
  },
  {
    test: /Loaded runtime CuDNN library: ([\d.]+) but source was compiled with: ([\d.]+)/,
    id: 'library-shadowed',
    severity: 'error',
    title: 'A cuDNN other than the one the framework was built with was loaded',
    note: m => `cuDNN ${m[1]} was loaded; the framework needs ${m[2]}.`
  },
  {
    test: /a CUDA-enabled jaxlib is not installed|CUDA backend failed to initialize|Unable to load cuDNN/,
    id: 'jax-cuda-mismatch',
    severity: 'error',
    title: 'JAX cannot use the GPU',
    note: () =>
      'JAX fell back to the CPU: its CUDA plugin is missing or does not match the CUDA libraries.'
  }
];

/** Lines that look alarming but never mean a problem. */
const NOISE = [
  /successful NUMA node read from SysFS had negative value/,
  /This TensorFlow binary is optimized to use available CPU instructions/,
  /oneDNN custom operations are on/,
  /computation placer already registered/
];

/** Long lines are cut before matching, so time stays linear in the input. */
const MAX_LINE = 4000;

export function explainOutput(
  text: string,
  facts?: IFacts | null,
  table?: ICompatTable | null
): IOutputExplanation {
  const matches: ILogMatch[] = [];
  const hits = new Map<
    FindingId,
    { pattern: IPattern; match: RegExpExecArray; line: number }
  >();
  const lines = text.split(/\r?\n/);
  const realTfFailure = lines.some(l =>
    l.includes('Cannot dlopen some GPU libraries')
  );
  lines.forEach((raw, index) => {
    const line = raw.slice(0, MAX_LINE);
    for (const pattern of PATTERNS) {
      const match = pattern.test.exec(line);
      if (!match) {
        continue;
      }
      // Duplicate registrations are noise, except next to "Cannot dlopen": then they are the start of the failure.
      const partOfFailure =
        pattern.id === 'duplicate-cuda-registration' && realTfFailure;
      const id: FindingId = partOfFailure ? 'tf-cuda-libs-missing' : pattern.id;
      matches.push({
        line: index + 1,
        text: line.trim(),
        id,
        benign: !!pattern.benign && !partOfFailure,
        note: partOfFailure
          ? `${pattern.note(match)} Here it comes with "Cannot dlopen some GPU libraries": part of a real failure.`
          : pattern.note(match)
      });
      if (!hits.has(id) && !(pattern.benign && partOfFailure)) {
        hits.set(id, { pattern, match, line: index + 1 });
      }
      return;
    }
    if (NOISE.some(noise => noise.test(line))) {
      matches.push({
        line: index + 1,
        text: line.trim(),
        id: 'unknown-version',
        benign: true,
        note: 'Informational log line; no action needed.'
      });
    }
  });
  const diagnosed = facts && table ? diagnose(facts, table) : [];
  const findings = [...hits.entries()].map(
    ([id, hit]) =>
      diagnosed.find(f => f.id === id) ??
      fromPattern(hit.pattern, hit.match, hit.line)
  );
  return { matches, findings: sortFindings(findings) };
}

/** The findings the output shows a real problem for (not only benign noise). */
export function outputProblems(explanation: IOutputExplanation): IFinding[] {
  return explanation.findings.filter(f =>
    explanation.matches.some(m => m.id === f.id && !m.benign)
  );
}

const VERIFY_FOR: Partial<Record<FindingId, string>> = {
  'bnb-missing-binary': VERIFY.bitsandbytes,
  'tf-cuda-libs-missing': VERIFY.tensorflow,
  'torch-cpu-build': VERIFY.torch,
  'torch-cuda-deps-missing': VERIFY.torch,
  'compute-capability-unsupported': VERIFY.torch,
  'jax-cuda-mismatch': VERIFY.jax,
  'no-gpu-visible': VERIFY.gpu,
  'driver-too-old': VERIFY.gpu
};

/** A finding made from the log line alone, when no facts say more. */
function fromPattern(
  pattern: IPattern,
  match: RegExpExecArray,
  line: number
): IFinding {
  const fixes =
    pattern.id === 'bnb-missing-binary'
      ? [
          fix(
            'Install a bitsandbytes that ships binaries for current CUDA',
            pip('-U', 'bitsandbytes>=0.43.1'),
            RESTART
          )
        ]
      : [];
  return {
    id: pattern.id,
    severity: pattern.severity,
    title: pattern.title,
    explanation: pattern.benign
      ? pattern.note(match)
      : `${pattern.note(match)} Run the probe in this environment for the exact versions and the fix.`,
    evidence: [{ label: `log line ${line}`, value: match[0] }],
    fixes,
    verify: VERIFY_FOR[pattern.id],
    sources: []
  };
}
