/** The output watcher's recogniser: real log lines, tied to findings; noise told apart from failures. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { explainOutput } from '../../src/engine/outputs';
import { bundledTable } from '../../src/engine/table';
import { lib, makeFacts } from './facts';
import { render } from '../../src/engine/text';

const log = (name: string) =>
  readFileSync(join(__dirname, 'logs', name), 'utf8');
const table = bundledTable();

describe('explainOutput', () => {
  it('TF 2.15.1 on a 2.18 runtime: the registration lines are part of the failure', () => {
    const { matches, findings } = explainOutput(log('tf-downgraded-colab.log'));
    expect(matches.map(m => [m.line, m.id, m.benign])).toEqual([
      [1, 'tf-cuda-libs-missing', false],
      [2, 'tf-cuda-libs-missing', false],
      [3, 'tf-cuda-libs-missing', false],
      [4, 'tensorrt-missing', true],
      [5, 'tf-cuda-libs-missing', false],
      [6, 'tf-cuda-libs-missing', false] // "Skipping registering GPU devices..."
    ]);
    expect(render(matches[0].note)).toContain('part of a real failure');
    expect(findings.map(f => `${f.severity}:${f.id}`)).toEqual([
      'error:tf-cuda-libs-missing',
      'info:tensorrt-missing'
    ]);
  });

  it('the same registration lines while the GPU is listed are noise', () => {
    const { matches, findings } = explainOutput(log('tf-healthy-noise.log'));
    expect(matches.every(m => m.benign)).toBe(true);
    expect(matches.map(m => m.id)).toEqual([
      'duplicate-cuda-registration',
      'duplicate-cuda-registration',
      'duplicate-cuda-registration',
      'unknown-version',
      'unknown-version'
    ]);
    expect(findings.map(f => `${f.severity}:${f.id}`)).toEqual([
      'info:duplicate-cuda-registration'
    ]);
  });

  it('bitsandbytes 0.40.2 on CUDA 12.4: without facts, a fix from the line alone', () => {
    const { findings } = explainOutput(log('bnb-0.40.2-cuda124.log'));
    expect(findings).toHaveLength(1);
    expect(findings[0].id).toBe('bnb-missing-binary');
    expect(render(findings[0].fixes[0].steps[0].text)).toBe(
      'install -U "bitsandbytes>=0.43.1"'
    );
  });

  it('with facts, the diagnosis finding (exact versions) is the one linked', () => {
    const facts = makeFacts({
      packages: { bitsandbytes: '0.40.2' },
      frameworks: {
        bitsandbytes: {
          version: '0.40.2',
          binaries: [
            'libbitsandbytes_cuda118.so',
            'libbitsandbytes_cuda121.so'
          ],
          cuda_versions: ['11.8', '12.1']
        },
        imported: {}
      },
      cuda: { toolkits: [], libraries: [lib('cudart', '12.4', 'system')] }
    });
    const { findings } = explainOutput(
      log('bnb-0.40.2-cuda124.log'),
      facts,
      table
    );
    expect(findings[0].id).toBe('bnb-missing-binary');
    expect(render(findings[0].title)).toContain('0.40.2');
  });

  it.each([
    [
      "Could not load dynamic library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file",
      'tf-cuda-libs-missing'
    ],
    [
      'RuntimeError: CUDA error: CUDA driver version is insufficient for CUDA runtime version',
      'driver-too-old'
    ],
    [
      'RuntimeError: CUDA error: no kernel image is available for execution on the device',
      'compute-capability-unsupported'
    ],
    [
      'RuntimeError: Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a driver',
      'no-gpu-visible'
    ],
    ['AssertionError: Torch not compiled with CUDA enabled', 'torch-cpu-build'],
    [
      'OSError: libcudnn.so.9: cannot open shared object file: No such file or directory',
      'torch-cuda-deps-missing'
    ],
    [
      'Loaded runtime CuDNN library: 8.6.0 but source was compiled with: 8.9.4.',
      'library-shadowed'
    ],
    [
      'An NVIDIA GPU may be present on this machine, but a CUDA-enabled jaxlib is not installed. Falling back to cpu.',
      'jax-cuda-mismatch'
    ]
  ])('%s', (line, id) => {
    expect(explainOutput(`noise\n${line}\n`).findings.map(f => f.id)).toEqual([
      id
    ]);
  });

  it('a healthy output gives nothing, and binary or huge input does not throw', () => {
    expect(explainOutput('Epoch 1/10\nloss: 0.3').matches).toEqual([]);
    expect(() =>
      explainOutput('\u0000\uffff'.repeat(50_000) + 'x'.repeat(1_000_000))
    ).not.toThrow();
  });
});
