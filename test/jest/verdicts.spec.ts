/**
 * The situations of issue 12, each with its healthy neighbour: NVIDIA's minor-version compatibility
 * and its floors, cubin/PTX compatibility, library copies, a driver that does not answer, wheels
 * for this Python, installs without a version.
 */
import { archServes } from '../../src/engine/arch';
import { makeContext } from '../../src/engine/context';
import { judgeCuda } from '../../src/engine/cuda';
import { diagnose, preflightCell } from '../../src/engine/diagnose';
import { IFacts } from '../../src/engine/facts';
import { renderCell } from '../../src/engine/fixes';
import { bundledTable } from '../../src/engine/table';
import { compareNumeric } from '../../src/engine/versions';
import { lib, makeFacts, TF_2_18 } from './facts';
import { render } from '../../src/engine/text';
import { showFinding } from '../../src/engine/shown';

const table = bundledTable();
const loud = (findings: { severity: string; id: string }[]) =>
  findings.filter(f => f.severity !== 'info').map(f => `${f.severity}:${f.id}`);
const diagnosed = (facts: IFacts) => loud(diagnose(facts, table));
const gpu = (name: string, cc: string) => ({ name, compute_capability: cc });

describe('arch.ts: how the hardware loads code', () => {
  it.each([
    [['sm_86'], '8.9', 'cubin'],
    [['sm_60'], '6.1', 'cubin'],
    [['sm_80', 'sm_90'], '8.6', 'cubin'],
    [['sm_90'], '10.0', 'none'],
    [['sm_86'], '8.0', 'none'],
    [['sm_75', 'compute_90'], '12.0', 'ptx'],
    [['sm_90a'], '9.0', 'cubin'],
    [['sm_90a'], '9.1', 'none'],
    [['sm_100f'], '10.3', 'cubin'],
    [['sm_100f'], '12.0', 'none'],
    [['compute_90a'], '10.0', 'none']
  ])('%j serves compute capability %s by %s', (targets, cc, serves) => {
    expect(archServes(targets, cc).serves).toBe(serves);
  });
});

describe('versions as numeric triples (semver, coerced)', () => {
  it.each([
    ['535.104.05', '535.104.5', 0],
    ['550.54.14', '550.54.15', -1],
    ['570.26', '570.124.06', -1],
    ['450.80.02', '450.51.06', 1],
    ['12.4', '12.10', -1],
    ['12.4', '12.4', 0],
    ['8.6', '8.9', -1],
    ['10.0', '9.0', 1]
  ] as const)('%s vs %s: %d', (a, b, sign) => {
    expect(compareNumeric(a, b)).toBe(sign);
  });
});

describe('cuda.ts: NVIDIA compatibility verdicts', () => {
  const judge = (
    driver: string | null,
    cuda: string | null,
    built: [number, number],
    ptx = false
  ) =>
    judgeCuda(
      makeContext(
        makeFacts({ driver: { version: driver, cuda_version: cuda } }),
        table
      ),
      built,
      ptx
    ).verdict;

  it.each([
    ['550.54.15', '12.4', [12, 5], 'minor-compatible'],
    ['550.54.15', '12.4', [12, 4], 'direct'],
    ['460.32.03', '11.2', [11, 3], 'minor-compatible'],
    ['450.51.06', '11.0', [11, 2], 'incompatible'], // below the 11.x floor 450.80.02
    ['450.80.02', '11.0', [11, 8], 'minor-compatible'],
    ['535.104.05', '12.2', [13, 0], 'incompatible'],
    ['550.54.15', '12.4', [12, 8], 'minor-compatible'],
    ['418.39', '10.1', [10, 2], 'incompatible'], // no minor-version compatibility before 11
    [null, '11.0', [11, 2], 'unknown'], // 11.0 drivers straddle the floor
    [null, '11.4', [11, 8], 'minor-compatible'],
    ['580.65.06', '13.0', [13, 2], 'minor-compatible']
  ] as const)(
    'driver %s (CUDA %s), build for %j: %s',
    (driver, cuda, built, verdict) => {
      expect(judge(driver, cuda, [built[0], built[1]])).toBe(verdict);
    }
  );

  it('PTX from a newer minor release needs the driver to support it itself', () => {
    expect(judge('550.54.15', '12.4', [12, 8], true)).toBe('incompatible');
    expect(judge('570.86.10', '12.8', [12, 8], true)).toBe('direct');
  });

  it('a cuda-compat forward-compatibility driver on the loader path serves newer builds', () => {
    const facts = makeFacts({
      driver: { version: '535.104.05', cuda_version: '12.2' },
      cuda: {
        toolkits: [],
        libraries: [],
        compat: [
          {
            path: '/usr/local/cuda-13.0/compat/libcuda.so.580.65.06',
            version: '580.65.06',
            cuda: '13.0',
            on_loader_path: true
          }
        ]
      }
    });
    expect(judgeCuda(makeContext(facts, table), [13, 0]).verdict).toBe(
      'forward-compatible'
    );
  });

  it('the driver CUDA of a pasted report with only a driver version comes from the table', () => {
    expect(
      makeContext(
        makeFacts({ driver: { version: '535.104.05', cuda_version: null } }),
        table
      ).driverCuda
    ).toEqual([12, 2]);
  });
});

describe('issue 12 situations and their healthy neighbours', () => {
  const colabT4 = (tf = TF_2_18) =>
    makeFacts({
      platform: {
        hosted: { name: 'colab', release: 'release-colab_20250301-060000_RC00' }
      },
      driver: { version: '550.54.15', cuda_version: '12.4' },
      packages: { tensorflow: tf.version },
      frameworks: { tensorflow: tf, imported: {} },
      cuda: {
        toolkits: [],
        libraries: [lib('cudart', '12.5'), lib('cudnn', '9.3.0.75')]
      }
    });

  it('Colab T4, driver 550.54.15 (CUDA 12.4), its TensorFlow 2.18 built for CUDA 12.5: healthy', () => {
    expect(diagnosed(colabT4())).toEqual([]);
  });

  it('the same TensorFlow on a CUDA 11.8 driver: an error, and the fix is a TensorFlow that driver runs', () => {
    const facts = {
      ...colabT4(),
      driver: { version: '520.61.05', cuda_version: '11.8' }
    };
    const [finding] = diagnose(facts, table);
    expect(`${finding.severity}:${finding.id}`).toBe('error:driver-too-old');
    expect(
      showFinding(finding).evidence.find(e => e.label === 'verdict')?.value
    ).toMatch(/^incompatible/);
    expect(renderCell(finding.fixes[0])).toContain(
      '"tensorflow[and-cuda]==2.14.*"'
    );
    // a hosted runtime's driver is not the user's: no driver update is offered
    expect(finding.fixes.some(f => f.steps.some(s => s.kind === 'host'))).toBe(
      false
    );
  });

  it('torch 1.11.0+cu113 on driver 460 (CUDA 11.2): minor-version compatible, healthy', () => {
    const facts = makeFacts({
      gpus: [gpu('Tesla V100-SXM2-16GB', '7.0')],
      driver: { version: '460.32.03', cuda_version: '11.2' },
      frameworks: {
        torch: { version: '1.11.0+cu113', cuda: '11.3' },
        imported: {}
      }
    });
    expect(diagnosed(facts)).toEqual([]);
  });

  it.each([
    ['NVIDIA GeForce RTX 4090', '8.9'],
    ['NVIDIA L4', '8.9'],
    ['NVIDIA GeForce GTX 1080 Ti', '6.1']
  ])(
    'torch 2.5.1+cu124 on %s (%s): a cubin of its major serves it, healthy',
    (name, cc) => {
      const facts = makeFacts({
        gpus: [gpu(name, cc)],
        frameworks: {
          torch: { version: '2.5.1+cu124', cuda: '12.4' },
          imported: {}
        }
      });
      expect(diagnosed(facts)).toEqual([]);
    }
  );

  it('torch 2.5.1+cu124 on an RTX 5090 (12.0): no kernels; the fix is a build with sm_120 this driver runs', () => {
    const facts = makeFacts({
      gpus: [gpu('NVIDIA GeForce RTX 5090', '12.0')],
      driver: { version: '570.86.10', cuda_version: '12.8' },
      frameworks: {
        torch: { version: '2.5.1+cu124', cuda: '12.4' },
        imported: {}
      }
    });
    const [finding] = diagnose(facts, table);
    expect(`${finding.severity}:${finding.id}`).toBe(
      'error:compute-capability-unsupported'
    );
    expect(render(finding.fixes[0].steps[0].text)).toMatch(
      /\+cu128 --index-url .*\/cu128$/
    );
  });

  it('driver 450.51.06 (CUDA 11.0) and TensorFlow 2.9 (CUDA 11.2): below the 11.x floor, an error; the driver fix names the floor', () => {
    const facts = makeFacts({
      python: { version: '3.8.10', executable: '/usr/bin/python3' },
      driver: { version: '450.51.06', cuda_version: '11.0' },
      packages: { tensorflow: '2.9.0' },
      frameworks: {
        tensorflow: {
          version: '2.9.0',
          cuda: '11.2',
          cudnn: '8',
          is_cuda_build: true
        },
        imported: {}
      },
      cuda: {
        toolkits: [],
        libraries: [lib('cudart', '11.2'), lib('cudnn', '8.1.0')]
      }
    });
    const [finding] = diagnose(facts, table);
    expect(`${finding.severity}:${finding.id}`).toBe('error:driver-too-old');
    expect(finding.fixes.map(f => render(f.title))).toEqual([
      'Install TensorFlow 2.4, built for CUDA 11.0',
      'Update the NVIDIA driver to 450.80.02 or newer'
    ]);
  });

  it('a hung nvidia-smi with the driver libraries off the path: the driver did not answer, not "no GPU in this container"', () => {
    const facts = makeFacts({
      gpus: [],
      driver: { version: null, cuda_version: null },
      devices: { dev_nodes: [], proc_driver: false },
      platform: { container: 'docker' },
      frameworks: {
        torch: { version: '2.5.1+cu124', cuda: '12.4' },
        imported: {}
      },
      errors: [
        {
          step: 'nvml_query',
          message:
            'OSError: libnvidia-ml.so.1: cannot open shared object file: No such file or directory'
        },
        {
          step: 'nvidia-smi',
          message:
            "TimeoutExpired: Command '['/usr/bin/nvidia-smi']' timed out after 5 seconds"
        }
      ]
    });
    const [finding] = diagnose(facts, table);
    expect(`${finding.severity}:${finding.id}`).toBe(
      'error:driver-not-responding'
    );
    expect(showFinding(finding).evidence).toContainEqual({
      label: 'nvidia-smi',
      value:
        "TimeoutExpired: Command '['/usr/bin/nvidia-smi']' timed out after 5 seconds"
    });
  });

  it('NVML says the driver and library differ (after an update without a reboot): the codes are evidence', () => {
    const facts = makeFacts({
      gpus: [],
      driver: { version: null, cuda_version: null, init_error: 803 },
      devices: { dev_nodes: ['nvidia0', 'nvidiactl'], proc_driver: true },
      errors: [
        {
          step: 'nvml_query',
          message:
            'RuntimeError: nvmlInit failed with code 18 (NVML_ERROR_LIB_RM_VERSION_MISMATCH)'
        }
      ]
    });
    const [finding] = diagnose(facts, table);
    expect(finding.id).toBe('driver-not-responding');
    expect(showFinding(finding).evidence).toContainEqual({
      label: 'cuInit',
      value:
        '803: CUDA_ERROR_SYSTEM_DRIVER_MISMATCH (libcuda and the kernel module differ)'
    });
  });

  describe("Python 3.13 (today's Colab)", () => {
    const colab313 = makeFacts({
      python: { version: '3.13.15', executable: '/usr/bin/python3' },
      platform: {
        hosted: { name: 'colab', release: 'release-colab_20260819-060000_RC00' }
      },
      driver: { version: '550.54.15', cuda_version: '12.4' },
      packages: { tensorflow: '2.20.0' },
      frameworks: {
        tensorflow: { ...TF_2_18, version: '2.20.0' },
        imported: {}
      },
      cuda: {
        toolkits: [],
        libraries: [lib('cudart', '12.5'), lib('cudnn', '9.3.0.75')]
      }
    });

    it('tensorflow==2.15.1 has no wheel: pip will fail, and that is the finding (not a downgrade)', () => {
      const findings = preflightCell(
        colab313,
        table,
        '!pip install tensorflow==2.15.1'
      );
      expect(loud(findings)).toEqual(['error:pip-no-wheel']);
      expect(render(findings[0].title)).toBe(
        'pip will fail: no TensorFlow 2.15.1 for Python 3.13'
      );
      expect(render(findings[0].explanation)).toContain(
        'colab runtime of 2025-07-30 had Python 3.11.13, where TensorFlow 2.15.1 installs'
      );
      expect(renderCell(findings[0].fixes[0])).toContain(
        '%pip install tensorflow==2.20.0'
      );
    });

    it('tensorflow==2.20.0 has one: silent', () => {
      expect(
        loud(preflightCell(colab313, table, '!pip install tensorflow==2.20.0'))
      ).toEqual([]);
    });
  });

  describe('installs without a version, on a T4 with driver 550 (CUDA 12.4)', () => {
    const t4 = makeFacts({
      packages: { torch: '2.5.1+cu124' },
      frameworks: {
        torch: { version: '2.5.1+cu124', cuda: '12.4' },
        imported: {}
      }
    });

    it('pip install -U torch torchvision torchaudio: torchaudio holds torch at 2.11, whose default CUDA 13.0 wheel this driver cannot run', () => {
      const findings = preflightCell(
        t4,
        table,
        '!pip install -U torch torchvision torchaudio'
      );
      expect(loud(findings)).toEqual([
        'error:pip-cpu-torch',
        'warning:pip-no-wheel'
      ]);
      expect(render(findings[0].title)).toBe(
        'This cell installs torch 2.11.0 built for CUDA 13.0, which this driver cannot run'
      );
      expect(render(findings[1].title)).toContain(
        'torchaudio has no release for torch'
      );
      // every fix offered passes the pre-flight itself
      for (const f of findings.flatMap(x => x.fixes)) {
        expect(loud(preflightCell(t4, table, renderCell(f)))).toEqual([]);
      }
    });

    it('uv pip install -U torch: the newest torch as of the table, and a build this driver runs', () => {
      const [finding] = preflightCell(t4, table, '!uv pip install -U torch');
      expect(`${finding.severity}:${finding.id}`).toBe('error:pip-cpu-torch');
      expect(render(finding.explanation)).toContain(
        "newest release for this Python as of the table's date"
      );
      expect(render(finding.fixes[0].steps[0].text)).toMatch(
        /torch==2\.14\.1\+cu126 --index-url .*\/cu126$/
      );
    });

    it('pip install torch over an installed torch changes nothing: silent', () => {
      expect(loud(preflightCell(t4, table, '!pip install torch'))).toEqual([]);
    });

    it('the same -U on a driver 580 (CUDA 13.0): silent', () => {
      const new580 = {
        ...t4,
        driver: { version: '580.65.06', cuda_version: '13.0' }
      };
      expect(
        loud(preflightCell(new580, table, '!pip install -U torch'))
      ).toEqual([]);
    });
  });

  it('bitsandbytes 0.50 on CUDA 12.9 loads its 12.8 binary (same major, highest below): healthy; 0.45 needs the exact one', () => {
    const bnb = (version: string, cudas: string[]) =>
      makeFacts({
        frameworks: {
          torch: { version: '2.8.0+cu129', cuda: '12.9' },
          bitsandbytes: {
            version,
            binaries: cudas.map(c => `libbitsandbytes_cuda${c}.so`),
            cuda_versions: cudas
          },
          imported: {}
        }
      });
    expect(
      diagnosed(bnb('0.50.1', ['118', '124', '126', '128', '130', '132']))
    ).toEqual([]);
    expect(diagnosed(bnb('0.45.5', ['118', '124', '126', '128']))).toEqual([
      'error:bnb-missing-binary'
    ]);
    // never across majors
    expect(diagnosed(bnb('0.50.1', ['118', '130']))).toEqual([
      'error:bnb-missing-binary'
    ]);
  });

  it('partial facts: no GPU list stated is not "no GPU"; no library list is not "libraries missing"', () => {
    const pasted = makeFacts({
      partial: true,
      scans: { gpus: false, libraries: false, packages: false },
      gpus: [],
      devices: { dev_nodes: [], proc_driver: true },
      packages: { tensorflow: '2.18.0' },
      frameworks: { tensorflow: TF_2_18, imported: {} }
    });
    expect(diagnosed(pasted)).toEqual([]);
  });
});
