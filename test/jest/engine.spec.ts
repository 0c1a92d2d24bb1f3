import { diagnose } from '../../src/engine/diagnose';
import { parseFacts } from '../../src/engine/facts';
import { renderCell } from '../../src/engine/fixes';
import { quoteArg } from '../../src/engine/quote';
import { environmentRows } from '../../src/engine/report';
import { bundledTable, parseTable } from '../../src/engine/table';
import { compare, satisfies } from '../../src/engine/versions';
import { lib, makeFacts, TF_2_18 } from './facts';
import { render } from '../../src/engine/text';
import { showFinding } from '../../src/engine/shown';

const table = bundledTable();
const ids = (facts: ReturnType<typeof makeFacts>) =>
  diagnose(facts, table).map(f => `${f.severity}:${f.id}`);

describe('PEP 440 versions', () => {
  it.each`
    a                 | b           | expected
    ${'2.2.0+cu121'}  | ${'2.2.0'}  | ${1}
    ${'0.43.1.post1'} | ${'0.43.1'} | ${1}
    ${'2.16.0rc0'}    | ${'2.16.0'} | ${-1}
    ${'2.15.1'}       | ${'2.18.0'} | ${-1}
  `('compare($a, $b) = $expected', ({ a, b, expected }) => {
    expect(compare(a, b)).toBe(expected);
  });

  it.each`
    version       | spec           | expected
    ${'2.15.1'}   | ${'~=2.15.1'}  | ${true}
    ${'2.16.0'}   | ${'~=2.15.1'}  | ${false}
    ${'9.1.0.70'} | ${'>=9.3,<10'} | ${false}
    ${'garbage!'} | ${'>=1'}       | ${false}
  `('satisfies($version, $spec) = $expected', ({ version, spec, expected }) => {
    expect(satisfies(version, spec)).toBe(expected);
  });
});

describe('situation 1: downgrading TensorFlow on a hosted runtime', () => {
  const runtime = {
    hosted: { name: 'colab', release: 'release-colab_20250301-060000_RC00' }
  };
  const downgraded = makeFacts({
    platform: runtime,
    packages: { tensorflow: '2.15.1', 'nvidia-cudnn-cu12': '9.3.0.75' },
    frameworks: {
      tensorflow: {
        version: '2.15.1',
        cuda: '12.2',
        cudnn: '8',
        is_cuda_build: true
      },
      imported: {}
    },
    cuda: {
      toolkits: [],
      libraries: [lib('cudart', '12.5'), lib('cudnn', '9.3.0.75')]
    }
  });

  it('finds the missing cuDNN 8 and the downgrade, with both fixes', () => {
    const findings = diagnose(downgraded, table);
    expect(findings.map(f => f.id)).toEqual([
      'tf-cuda-libs-missing',
      'tf-downgrade',
      'tensorrt-missing'
    ]);
    const [libs, downgrade] = findings;
    expect(render(libs.title)).toBe(
      'TensorFlow 2.15.1 cannot find cuDNN 8.x (libcudnn.so.8)'
    );
    expect(render(downgrade.title)).toBe(
      "TensorFlow was downgraded from the runtime's 2.18.0 to 2.15.1"
    );
    expect(downgrade.fixes.map(f => renderCell(f, '%pip'))).toEqual([
      '# Go back to TensorFlow 2.18.0\n%pip install tensorflow==2.18.0\n# Then: Restart the kernel so the new packages are loaded. (Kernel > Restart Kernel)',
      '# Install TensorFlow 2.15.1 with the CUDA libraries it was built for\n%pip install "tensorflow[and-cuda]==2.15.1" "tf-keras~=2.15.0"\n# Then: Restart the kernel so the new packages are loaded. (Kernel > Restart Kernel)'
    ]);
    expect(libs.verify).toContain('tf.config.list_physical_devices("GPU")');
  });

  it('stays silent for TensorFlow 2.18 on its own runtime', () => {
    const healthy = makeFacts({
      platform: runtime,
      driver: { version: '560.35.03', cuda_version: '12.6' },
      packages: { tensorflow: '2.18.0', 'nvidia-cudnn-cu12': '9.3.0.75' },
      frameworks: {
        tensorflow: TF_2_18,
        imported: {}
      },
      cuda: {
        toolkits: [],
        libraries: [lib('cudart', '12.5'), lib('cudnn', '9.3.0.75')]
      }
    });
    expect(ids(healthy)).toEqual([]);
  });
});

describe("situation 2: PyTorch's CUDA wheels", () => {
  const torchRequires = [
    'nvidia-cudnn-cu12==9.1.0.70; platform_system == "Linux" and platform_machine == "x86_64"',
    'nvidia-cuda-runtime-cu12==12.1.105; platform_system == "Linux"'
  ];

  it('reports nvidia-* packages that were stripped or replaced', () => {
    const facts = makeFacts({
      packages: { torch: '2.4.0', 'nvidia-cuda-runtime-cu12': '12.1.105' },
      frameworks: {
        torch: { version: '2.4.0', cuda: '12.1', requires: torchRequires },
        imported: {}
      }
    });
    const [finding] = diagnose(facts, table);
    expect(finding.id).toBe('torch-cuda-deps-missing');
    expect(renderCell(finding.fixes[0], '!pip')).toContain(
      '!pip install nvidia-cudnn-cu12==9.1.0.70'
    );
  });

  it('reports a CPU build on a GPU machine with the right index URL', () => {
    const facts = makeFacts({
      packages: { torch: '2.5.1+cpu' },
      frameworks: { torch: { version: '2.5.1+cpu', cuda: null }, imported: {} }
    });
    const [finding] = diagnose(facts, table);
    expect(finding.id).toBe('torch-cpu-build');
    expect(render(finding.fixes[0].steps[0].text)).toBe(
      // the local label pins the build: `==2.5.1` would accept the installed 2.5.1+cpu
      'install torch==2.5.1+cu124 --index-url https://download.pytorch.org/whl/cu124'
    );
  });

  it('stays silent for torch cu121 on a 12.4 driver', () => {
    const facts = makeFacts({
      packages: {
        torch: '2.4.0',
        'nvidia-cuda-runtime-cu12': '12.1.105',
        'nvidia-cudnn-cu12': '9.1.0.70'
      },
      frameworks: {
        torch: { version: '2.4.0', cuda: '12.1', requires: torchRequires },
        imported: {}
      }
    });
    expect(ids(facts)).toEqual([]);
  });

  it('reports torchvision built for another torch', () => {
    const facts = makeFacts({
      frameworks: {
        torch: { version: '2.4.0', cuda: '12.1' },
        torchvision: { version: '0.18.1+cu121', cuda: '12.1' },
        imported: {}
      }
    });
    expect(ids(facts)).toEqual(['error:torch-companion-mismatch']);
  });

  it('reports two frameworks that want different cuDNN from one package', () => {
    const facts = makeFacts({
      packages: {
        'nvidia-cudnn-cu12': '9.1.0.70',
        'nvidia-cuda-runtime-cu12': '12.1.105'
      },
      frameworks: {
        torch: { version: '2.4.0', cuda: '12.1', requires: torchRequires },
        tensorflow: {
          version: '2.15.1',
          cuda: '12.2',
          cudnn: '8.9',
          is_cuda_build: true
        },
        imported: {}
      },
      cuda: {
        toolkits: [],
        libraries: [lib('cudart', '12.1'), lib('cudnn', '9.1.0.70')]
      }
    });
    expect(ids(facts)).toContain('error:cudnn-conflict');
  });
});

describe('situation 3: bitsandbytes too old for the CUDA it finds', () => {
  it('tells to upgrade, quoted', () => {
    const facts = makeFacts({
      frameworks: {
        torch: { version: '2.5.1+cu124', cuda: '12.4' },
        bitsandbytes: {
          version: '0.40.2',
          binaries: ['libbitsandbytes_cuda122.so'],
          cuda_versions: ['122']
        },
        imported: {}
      }
    });
    const [finding] = diagnose(facts, table);
    expect(finding.id).toBe('bnb-missing-binary');
    expect(render(finding.explanation)).toContain('libbitsandbytes_cuda124.so');
    expect(renderCell(finding.fixes[0], '!pip').split('\n')[1]).toBe(
      '!pip install -U "bitsandbytes>=0.43.1"'
    );
  });

  it('shows the CUDA releases of its binaries as versions in the environment', () => {
    const facts = makeFacts({
      frameworks: {
        bitsandbytes: {
          version: '0.40.2',
          binaries: [
            'libbitsandbytes_cuda118.so',
            'libbitsandbytes_cuda122.so'
          ],
          cuda_versions: ['118', '122']
        },
        imported: {}
      }
    });
    expect(environmentRows(facts)).toContainEqual([
      'bitsandbytes',
      '0.40.2, CUDA 11.8, 12.2'
    ]);
  });

  it('stays silent for 0.43.1 on CUDA 12.4', () => {
    const facts = makeFacts({
      frameworks: {
        torch: { version: '2.5.1+cu124', cuda: '12.4' },
        bitsandbytes: {
          version: '0.43.1',
          binaries: ['libbitsandbytes_cuda124.so'],
          cuda_versions: ['124']
        },
        imported: {}
      }
    });
    expect(ids(facts)).toEqual([]);
  });
});

describe('situation 4: a framework image on a host that cannot serve it', () => {
  it('driver too old for the CUDA major', () => {
    const facts = makeFacts({
      driver: { version: '470.82.01', cuda_version: '11.4', source: 'nvml' },
      frameworks: {
        torch: { version: '2.5.1+cu124', cuda: '12.4' },
        imported: {}
      }
    });
    const [finding] = diagnose(facts, table);
    expect(finding.id).toBe('driver-too-old');
    expect(finding.severity).toBe('error');
    expect(showFinding(finding).evidence).toContainEqual({
      label: 'driver for CUDA 12.4',
      value: '550.54.14'
    });
  });

  it('minor-version compatibility runs: no finding (NVIDIA: 12.x builds on drivers >= 525.60.13)', () => {
    const facts = makeFacts({
      driver: { version: '535.104.05', cuda_version: '12.2', source: 'nvml' },
      frameworks: {
        torch: { version: '2.5.1+cu124', cuda: '12.4' },
        imported: {}
      }
    });
    expect(ids(facts)).toEqual([]);
  });

  it('a container without /dev/nvidia*', () => {
    const facts = makeFacts({
      gpus: [],
      driver: { version: null, cuda_version: null },
      devices: { dev_nodes: [], proc_driver: false },
      platform: { container: 'docker' },
      frameworks: {
        torch: { version: '2.5.1+cu124', cuda: '12.4' },
        imported: {}
      }
    });
    expect(ids(facts)).toEqual(['error:container-no-gpu']);
  });

  it('no kernel image for an old GPU', () => {
    const facts = makeFacts({
      gpus: [{ name: 'Tesla P100', compute_capability: '6.0' }],
      driver: { version: '580.65.06', cuda_version: '13.0' },
      frameworks: { torch: { version: '2.14.1', cuda: '13.0' }, imported: {} }
    });
    expect(ids(facts)).toEqual(['error:compute-capability-unsupported']);
  });
});

describe('situation 5: several CUDA installs', () => {
  it('toolkits side by side, none on the loader path: nothing to say', () => {
    const facts = makeFacts({
      cuda: {
        toolkits: [
          { path: '/usr/local/cuda-11.2', version: '11.2' },
          { path: '/usr/local/cuda-11.8', version: '11.8' }
        ],
        libraries: []
      }
    });
    expect(ids(facts)).toEqual([]);
  });

  it('two libcudart.so.11.0 on LD_LIBRARY_PATH: the loader takes the first; the fix keeps the newest', () => {
    const onPath = (dir: string, version: string) => ({
      kind: 'cudart' as const,
      version,
      source: 'ld_library_path' as const,
      path: `${dir}/libcudart.so.11.0`,
      files: ['libcudart.so', 'libcudart.so.11.0']
    });
    const facts = makeFacts({
      env: {
        LD_LIBRARY_PATH:
          '/usr/local/cuda-11.2/lib64:/usr/local/cuda-11.8/lib64:/opt/other'
      },
      cuda: {
        toolkits: [],
        libraries: [
          onPath('/usr/local/cuda-11.2/lib64', '11.2.152'),
          onPath('/usr/local/cuda-11.8/lib64', '11.8.89')
        ]
      }
    });
    const [finding] = diagnose(facts, table);
    expect(`${finding.severity}:${finding.id}`).toBe(
      'warning:multiple-cuda-toolkits'
    );
    expect(showFinding(finding).evidence[0]).toEqual({
      label: 'loaded (first in the search order)',
      value:
        '/usr/local/cuda-11.2/lib64/libcudart.so.11.0 (11.2.152, ld library path)'
    });
    expect(render(finding.fixes[0].steps[0].text)).toContain(
      'export LD_LIBRARY_PATH=/usr/local/cuda-11.8/lib64:/opt/other'
    );
    expect(finding.verify).toContain('/proc/self/maps');
  });

  it('an older cuDNN on LD_LIBRARY_PATH shadows the one torch pins: error', () => {
    const facts = makeFacts({
      env: { LD_LIBRARY_PATH: '/opt/cudnn-8.2/lib' },
      packages: { torch: '2.0.1', 'nvidia-cudnn-cu11': '8.5.0.96' },
      frameworks: {
        torch: { version: '2.0.1', cuda: '11.7' },
        imported: {}
      },
      cuda: {
        toolkits: [],
        libraries: [
          {
            kind: 'cudnn',
            version: '8.2.4',
            source: 'ld_library_path',
            path: '/opt/cudnn-8.2/lib/libcudnn.so.8'
          },
          lib('cudnn', '8.5.0.96')
        ]
      }
    });
    const found = diagnose(facts, table).filter(
      f => f.id === 'library-shadowed'
    );
    expect(found.map(f => f.severity)).toEqual(['error']);
    expect(render(found[0].fixes[0].steps[0].text)).toContain(
      "LD_LIBRARY_PATH=''"
    );
  });
});

describe('the kernel and the table', () => {
  it('restart needed after an upgrade in a running kernel', () => {
    const facts = makeFacts({
      packages: { torch: '2.5.1' },
      frameworks: {
        torch: { version: '2.5.1', cuda: '12.4' },
        imported: { torch: '2.4.0+cu121' }
      }
    });
    expect(ids(facts)).toEqual(['warning:restart-needed']);
  });

  it('a version newer than the table is unknown, never an error', () => {
    const facts = makeFacts({
      frameworks: { torch: { version: '2.99.0', cuda: '13.0' }, imported: {} },
      driver: { version: '600.1', cuda_version: '13.2' }
    });
    expect(ids(facts)).toEqual(['info:unknown-version']);
  });

  it('rejects facts that fail the schema, naming the field', () => {
    const result = parseFacts({ ...makeFacts(), gpus: 'none' });
    expect(result).toEqual({
      ok: false,
      error:
        "The probe's facts do not match the schema: $.gpus expected array, got string"
    });
  });

  it('rejects a table that fails its schema', () => {
    const result = parseTable({ ...table, torch: { rows: [] } });
    expect(result.ok).toBe(false);
  });

  it('quotes specifiers and refuses what IPython would expand', () => {
    expect(quoteArg('bitsandbytes>=0.43.1')).toBe('"bitsandbytes>=0.43.1"');
    expect(quoteArg('torch==2.5.1')).toBe('torch==2.5.1');
    expect(() => quoteArg('x$(rm -rf ~)')).toThrow(/unsafe/);
  });
});

describe('rules without a situation of their own', () => {
  const ids = (facts: ReturnType<typeof makeFacts>) =>
    diagnose(facts, table).map(f => f.id);

  it('no-gpu-visible: torch built for CUDA with no driver or GPU, or hidden by CUDA_VISIBLE_DEVICES', () => {
    const torch = { version: '2.5.1+cu124', cuda: '12.4' };
    const noDriver = makeFacts({
      gpus: [],
      driver: { version: null, cuda_version: null, source: null },
      devices: { dev_nodes: [], proc_driver: false },
      frameworks: { torch, imported: {} }
    });
    const [finding] = diagnose(noDriver, table);
    expect(finding.id).toBe('no-gpu-visible');
    expect(finding.severity).toBe('warning');
    expect(showFinding(finding).evidence).toContainEqual({
      label: 'torch 2.5.1+cu124',
      value: 'built for CUDA 12.4'
    });
    const hidden = makeFacts({
      gpus: [],
      env: { CUDA_VISIBLE_DEVICES: '' },
      frameworks: { torch, imported: {} }
    });
    expect(
      diagnose(hidden, table)[0].evidence.find(
        e => e.label === 'CUDA_VISIBLE_DEVICES'
      )?.value
    ).toBe('""');
    // Healthy neighbour: the same torch where the GPU answers.
    expect(ids(makeFacts({ frameworks: { torch, imported: {} } }))).toEqual([]);
  });

  it('tf-windows-native-gpu: TensorFlow after 2.10 on native Windows', () => {
    const windows = (version: string, python = '3.10.11') =>
      makeFacts({
        python: { version: python, executable: 'C:\\Python\\python.exe' },
        platform: { system: 'Windows', release: '10' },
        frameworks: {
          tensorflow: { ...TF_2_18, version, cuda: null, cudnn: null },
          imported: {}
        }
      });
    const [finding] = diagnose(windows('2.18.0'), table).filter(
      f => f.id === 'tf-windows-native-gpu'
    );
    expect(render(finding.title)).toBe(
      'TensorFlow 2.18.0 has no GPU support on native Windows'
    );
    expect(renderCell(finding.fixes[0]).split('\n')[1]).toBe(
      '%pip install "tensorflow==2.10.*"'
    );
    // On Python 3.11 TensorFlow 2.10 has no wheel: only WSL2 is offered.
    const [py311] = diagnose(windows('2.18.0', '3.11.7'), table).filter(
      f => f.id === 'tf-windows-native-gpu'
    );
    expect(py311.fixes.map(f => render(f.title))).toEqual([
      'Run TensorFlow in WSL2'
    ]);
    // Healthy neighbour: 2.10 itself still had native Windows GPU support.
    expect(ids(windows('2.10.1'))).not.toContain('tf-windows-native-gpu');
  });

  it('jax-cuda-mismatch: a CUDA plugin of another version than jaxlib', () => {
    const jax = (plugin: string) =>
      makeFacts({
        frameworks: {
          jax: {
            version: '0.10.2',
            jaxlib: '0.10.2',
            plugins: {
              'jax-cuda12-plugin': plugin,
              'jax-cuda12-pjrt': plugin
            }
          },
          imported: {}
        }
      });
    const [finding] = diagnose(jax('0.10.1'), table);
    expect(finding.id).toBe('jax-cuda-mismatch');
    expect(render(finding.title)).toBe(
      "JAX's CUDA plugin does not match: jax-cuda12-plugin 0.10.1 is not jaxlib 0.10.2: the plugin must be the same version as jaxlib"
    );
    expect(renderCell(finding.fixes[0])).toContain('"jax[cuda12]==0.10.2"');
    // Healthy neighbour: matching plugins.
    expect(ids(jax('0.10.2'))).toEqual([]);
  });
});
