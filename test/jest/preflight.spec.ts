/** preflight: what an install cell would do to the kernel, checked before it runs. */
import { preflightCell } from '../../src/engine/diagnose';
import { renderCell } from '../../src/engine/fixes';
import { bundledTable } from '../../src/engine/table';
import { lib, makeFacts, TF_2_18 } from './facts';
import { render } from '../../src/engine/text';
import { showFinding } from '../../src/engine/shown';

const table = bundledTable();

/** Colab with TF 2.18.0 and its CUDA 12.5 / cuDNN 9.3 libraries (situation 1, before the pip cell). */
const colab = makeFacts({
  platform: {
    hosted: { name: 'colab', release: 'release-colab_20250301-060000_RC00' }
  },
  packages: {
    tensorflow: '2.18.0',
    torch: '2.5.1+cu124',
    'nvidia-cudnn-cu12': '9.1.0.70',
    'nvidia-cuda-runtime-cu12': '12.4.127'
  },
  frameworks: {
    tensorflow: TF_2_18,
    torch: {
      version: '2.5.1+cu124',
      cuda: '12.4',
      requires: [
        'nvidia-cudnn-cu12==9.1.0.70; platform_system == "Linux" and platform_machine == "x86_64"',
        'nvidia-cuda-runtime-cu12==12.4.127; platform_system == "Linux" and platform_machine == "x86_64"'
      ]
    },
    imported: {}
  },
  cuda: {
    toolkits: [],
    libraries: [lib('cudart', '12.5'), lib('cudnn', '9.3.0.75')]
  }
});

const ids = (facts: typeof colab, cell: string) =>
  preflightCell(facts, table, cell).map(f => `${f.severity}:${f.id}`);

describe('pip-downgrade', () => {
  it('TensorFlow 2.18 -> 2.15.1 on the hosted runtime: error, both fixes, the line', () => {
    const cell = '# pin TF\n!pip install tensorflow==2.15.1';
    const [finding] = preflightCell(colab, table, cell);
    expect(finding.id).toBe('pip-downgrade');
    expect(finding.severity).toBe('error');
    expect(render(finding.title)).toBe(
      'This cell downgrades TensorFlow 2.18.0 to 2.15.1'
    );
    expect(render(finding.explanation)).toContain('CUDA 12.2 / cuDNN 8.9');
    expect(render(finding.explanation)).toContain(
      'Cannot dlopen some GPU libraries'
    );
    expect(finding.range).toEqual({
      line: 2,
      from: cell.indexOf('tensorflow=='),
      to: cell.length
    });
    // tensorflow[and-cuda]==2.15.1 would bring cuDNN 8.9 under torch's cuDNN 9.1 pin: pre-flight
    // flags it, so it is not offered here.
    expect(finding.fixes.map(f => renderCell(f, '%pip'))).toEqual([
      '# Stay on TensorFlow 2.18.0 (run this instead)\n%pip install tensorflow==2.18.0'
    ]);
  });

  it('without torch beside it, TensorFlow 2.15.1 with its own CUDA set is offered too', () => {
    const tfOnly = makeFacts({
      ...colab,
      packages: { tensorflow: '2.18.0' },
      frameworks: { tensorflow: TF_2_18, imported: {} }
    });
    const [finding] = preflightCell(
      tfOnly,
      table,
      '!pip install tensorflow==2.15.1'
    );
    expect(finding.fixes.map(f => renderCell(f, '%pip'))).toEqual([
      '# Stay on TensorFlow 2.18.0 (run this instead)\n%pip install tensorflow==2.18.0',
      '# Install TensorFlow 2.15.1 with the CUDA libraries it was built for\n' +
        '%pip install "tensorflow[and-cuda]==2.15.1" "tf-keras~=2.15.0"\n' +
        '# Then: Restart the kernel so the new packages are loaded. (Kernel > Restart Kernel)'
    ]);
  });

  it('uses the runtime baseline when the package is not installed', () => {
    const bare = makeFacts({
      platform: colab.platform,
      packages: {}
    });
    expect(ids(bare, '%pip install "tensorflow<2.16"')).toEqual([
      'warning:pip-downgrade'
    ]);
  });

  it('[and-cuda] brings its own libraries: a notice, not an error', () => {
    expect(
      ids(colab, '!pip install "tensorflow[and-cuda]==2.15.1"').filter(i =>
        i.endsWith('pip-downgrade')
      )
    ).toEqual(['info:pip-downgrade']);
  });

  it('torch downgrade that leaves torchvision behind: a warning naming it, and a fix with both', () => {
    const withVision = makeFacts({
      ...colab,
      packages: { ...colab.packages, torchvision: '0.20.1+cu124' },
      frameworks: {
        ...colab.frameworks,
        torchvision: { version: '0.20.1+cu124', cuda: '12.4' }
      }
    });
    const [finding] = preflightCell(
      withVision,
      table,
      '%pip install torch==2.3.1'
    );
    expect(`${finding.severity}:${finding.id}`).toBe('warning:pip-downgrade');
    expect(render(finding.explanation)).toContain('torchvision 0.18.1');
    expect(renderCell(finding.fixes[1])).toBe(
      '# Install torch 2.3.1 built for CUDA 12.1 (cu121)\n' +
        '%pip install torch==2.3.1+cu121 torchvision==0.18.1+cu121 --index-url https://download.pytorch.org/whl/cu121\n' +
        '# Then: Restart the kernel so the new packages are loaded. (Kernel > Restart Kernel)'
    );
  });

  it.each([
    '!pip install tensorflow==2.18.0',
    '!pip install -U tensorflow',
    '!pip install "tensorflow>=2.18"',
    '!pip install tensorflow==2.19.0',
    '!pip install tensorflow',
    '!pip install "tensorflow~=2.18.0"',
    '!pip install "torch==2.5.1"'
  ])('healthy neighbour stays silent: %s', cell => {
    expect(ids(colab, cell)).toEqual([]);
  });
});

describe('pip-cpu-torch', () => {
  it('the cpu index on a GPU machine', () => {
    const [finding] = preflightCell(
      colab,
      table,
      '!pip install torch==2.5.1 torchvision --index-url https://download.pytorch.org/whl/cpu'
    );
    expect(finding.id).toBe('pip-cpu-torch');
    expect(finding.severity).toBe('error');
    expect(renderCell(finding.fixes[0], '!pip')).toBe(
      '# Install torch 2.5.1 built for CUDA 12.4 (cu124)\n' +
        '!pip install torch==2.5.1+cu124 torchvision==0.20.1+cu124 --index-url https://download.pytorch.org/whl/cu124\n' +
        '# Then: Restart the kernel so the new packages are loaded. (Kernel > Restart Kernel)'
    );
  });

  it('a +cpu local version', () => {
    expect(ids(colab, '!pip install "torch==2.5.1+cpu"')).toContain(
      'error:pip-cpu-torch'
    );
  });

  it('a CUDA variant newer than the driver (12.4) supports across a major version', () => {
    const old = makeFacts({
      driver: { version: '470.82.01', cuda_version: '11.4' }
    });
    const [finding] = preflightCell(
      old,
      table,
      '!pip install torch==2.5.1 --index-url https://download.pytorch.org/whl/cu124'
    );
    expect(finding.id).toBe('pip-cpu-torch');
    expect(render(finding.title)).toBe(
      'This cell installs torch 2.5.1 built for CUDA 12.4, which this driver cannot run'
    );
    expect(showFinding(finding).evidence).toContainEqual({
      label: 'verdict',
      value:
        'incompatible: minor-version compatibility holds within a major only; the driver 470.82.01 (CUDA 11.4) is older than CUDA 12.0.'
    });
    // cu118 runs on 470.82.01 by minor-version compatibility (11.x: 450.80.02 and newer)
    expect(render(finding.fixes[0].steps[0].text)).toBe(
      'install torch==2.5.1+cu118 --index-url https://download.pytorch.org/whl/cu118'
    );
  });

  it('the default Linux wheel when the driver is too old for it', () => {
    const old = makeFacts({
      driver: { version: '470.82.01', cuda_version: '11.4' }
    });
    expect(ids(old, '!pip install torch==2.5.1')).toEqual([
      'error:pip-cpu-torch'
    ]);
  });

  it.each([
    '!pip install torch==2.5.1 --index-url https://download.pytorch.org/whl/cu121',
    '!pip install torch==2.5.1',
    '!pip install transformers'
  ])('healthy neighbour stays silent: %s', cell => {
    expect(ids(makeFacts(), cell)).toEqual([]);
  });

  it('no GPU: the cpu index is what the user wants', () => {
    const cpu = makeFacts({
      gpus: [],
      driver: { version: null, cuda_version: null },
      devices: { dev_nodes: [], proc_driver: false }
    });
    expect(
      ids(
        cpu,
        '!pip install torch --index-url https://download.pytorch.org/whl/cpu'
      )
    ).toEqual([]);
  });
});

describe('pip-unquoted-specifier', () => {
  it('bitsandbytes>=0.43.1 unquoted: the fix quotes it and keeps the other arguments', () => {
    const cell = '!pip install -q bitsandbytes>=0.43.1 accelerate';
    const [finding] = preflightCell(makeFacts(), table, cell);
    expect(finding.id).toBe('pip-unquoted-specifier');
    expect(finding.severity).toBe('error');
    expect(render(finding.title)).toBe(
      'Quote bitsandbytes>=0.43.1: the shell reads >=0.43.1 as a redirection'
    );
    expect(render(finding.explanation)).toContain('a file named "=0.43.1"');
    expect(renderCell(finding.fixes[0], '!pip')).toBe(
      '# The same command, quoted\n!pip install -q "bitsandbytes>=0.43.1" accelerate'
    );
    expect(cell.slice(finding.range!.from, finding.range!.to)).toBe(
      'bitsandbytes>=0.43.1'
    );
  });

  it('an input redirection fails outright', () => {
    const [finding] = preflightCell(makeFacts(), table, '%pip install numpy<2');
    expect(render(finding.explanation)).toContain('No such file or directory');
    expect(render(finding.fixes[0].steps[0].text)).toBe('install "numpy<2"');
  });
});

describe('pip-breaks-cuda-pins', () => {
  it('tensorflow[and-cuda]==2.15.1 next to torch 2.5.1 (cuDNN 8.9 vs 9.1)', () => {
    const findings = preflightCell(
      colab,
      table,
      '!pip install "tensorflow[and-cuda]==2.15.1"'
    );
    const finding = findings.find(f => f.id === 'pip-breaks-cuda-pins')!;
    expect(render(finding.title)).toBe(
      'tensorflow[and-cuda]==2.15.1 would replace CUDA packages that torch 2.5.1+cu124 needs'
    );
    expect(finding.evidence.map(e => e.label)).toContain('nvidia-cudnn-cu12');
  });

  it('an explicit nvidia pin that torch does not accept', () => {
    expect(ids(colab, '!pip install nvidia-cudnn-cu12==8.9.7.29')).toEqual([
      'warning:pip-breaks-cuda-pins'
    ]);
  });

  it('a pin torch accepts stays silent', () => {
    expect(ids(colab, '!pip install nvidia-cudnn-cu12==9.1.0.70')).toEqual([]);
  });
});

describe('pip-restart-needed', () => {
  const imported = makeFacts({
    packages: { bitsandbytes: '0.40.2', torch: '2.5.1' },
    frameworks: { imported: { bitsandbytes: '0.40.2', torch: '2.5.1' } }
  });

  it.each([
    '!pip install -U "bitsandbytes>=0.43.1"',
    '!pip uninstall -y bitsandbytes',
    '!pip install --force-reinstall bitsandbytes'
  ])('%s', cell => {
    expect(ids(imported, cell)).toEqual(['warning:pip-restart-needed']);
  });

  it('a package that stays as it is needs no restart', () => {
    expect(ids(imported, '!pip install "bitsandbytes>=0.40"')).toEqual([]);
  });
});

describe('never throws', () => {
  it.each([
    '',
    '!pip',
    '!pip install',
    '!pip install "',
    '%pip install {',
    '!pip install ' + 'a'.repeat(10_000),
    '!pip install torch==$V --index-url',
    '\u0000\u0001!pip install \uffff'
  ])('%j', cell => {
    expect(() => preflightCell(colab, table, cell)).not.toThrow();
  });
});
