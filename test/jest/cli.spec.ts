/** The command line: diagnose, preflight, explain; exit 0 / 1 / 2 and messages that name the problem. */
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { main } from '../../src/cli';
import { bundledTable, parseTable, tableDate } from '../../src/engine/table';
import { makeFacts, TF_2_18 } from './facts';

const dir = mkdtempSync(join(tmpdir(), 'gpu-compat-cli-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(
    path,
    typeof content === 'string' ? content : JSON.stringify(content)
  );
  return path;
};

function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const out = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation(chunk => ((stdout += String(chunk)), true));
  const err = jest
    .spyOn(process.stderr, 'write')
    .mockImplementation(chunk => ((stderr += String(chunk)), true));
  try {
    return { code: main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const colab = makeFacts({
  platform: { hosted: { name: 'colab', release: null } },
  packages: { tensorflow: '2.18.0' },
  frameworks: {
    tensorflow: TF_2_18,
    imported: {}
  }
});

describe('preflight', () => {
  it('the TensorFlow downgrade: exit 1, JSON with the finding and its fix', () => {
    const { code, stdout } = cli(
      'preflight',
      '--facts',
      file('colab.json', colab),
      '--cell',
      '!pip install tensorflow==2.15.1',
      '--json'
    );
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.findings.map((f: { id: string }) => f.id)).toEqual([
      'pip-downgrade'
    ]);
    expect(report.findings[0].fixes[0].steps[0].text).toBe(
      'install tensorflow==2.18.0'
    );
  });

  it('a healthy cell: exit 0', () => {
    const { code, stdout } = cli(
      'preflight',
      '--facts',
      file('colab.json', colab),
      '--cell',
      '%pip install "tensorflow==2.18.0"'
    );
    expect([code, stdout.trim()]).toEqual([
      0,
      `No problems found.\n(compatibility table of ${tableDate(bundledTable())})`
    ]);
  });

  it('checks every code cell of a notebook, without facts', () => {
    const notebook = {
      cells: [
        { cell_type: 'markdown', source: '!pip install bad>=1' },
        {
          cell_type: 'code',
          source: ['import torch\n', '!pip install bitsandbytes>=0.43.1']
        }
      ]
    };
    const { code, stdout } = cli(
      'preflight',
      '--notebook',
      file('nb.ipynb', notebook)
    );
    expect(code).toBe(1);
    expect(stdout).toContain('pip-unquoted-specifier');
    expect(stdout).toContain('python -m pip install "bitsandbytes>=0.43.1"');
    expect(stdout).not.toContain('bad');
  });

  it('--target: a tutorial checked against the hosted runtime it will run on', () => {
    const notebook = file('tutorial.ipynb', {
      cells: [{ cell_type: 'code', source: '!pip install tensorflow==2.15.1' }]
    });
    // Today's Colab (Python 3.13): pip would fail before anything changes.
    const today = cli('preflight', '--notebook', notebook, '--target', 'colab');
    expect(today.code).toBe(1);
    expect(today.stdout).toContain(
      'pip will fail: no TensorFlow 2.15.1 for Python 3.13'
    );
    // Colab of March 2025 (Python 3.11, TensorFlow 2.18 and its CUDA 12.5 libraries): a downgrade
    // without its CUDA libraries.
    const then = cli(
      'preflight',
      '--notebook',
      notebook,
      '--target',
      'colab@2025-03'
    );
    expect(then.code).toBe(1);
    expect(then.stdout).toContain(
      'This cell downgrades TensorFlow 2.18.0 to 2.15.1'
    );
    // Kaggle's image of June 2026 (Colab's base of 2026-05, Python 3.12): no wheel either.
    const kaggle = cli(
      'preflight',
      '--notebook',
      notebook,
      '--target',
      'kaggle@2026-06'
    );
    expect(kaggle.code).toBe(1);
    expect(kaggle.stdout).toContain('no TensorFlow 2.15.1 for Python 3.12');
    // What the table does not know is bad input, with the reason.
    const unknown = cli(
      'preflight',
      '--notebook',
      notebook,
      '--target',
      'sagemaker'
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown target "sagemaker"');
  });
});

describe('explain', () => {
  it('prints each recognised line and the findings', () => {
    const { code, stdout } = cli(
      'explain',
      '--output',
      join(__dirname, 'logs', 'tf-healthy-noise.log')
    );
    expect(code).toBe(0);
    expect(stdout).toContain('line 1: benign');
  });

  it('exit 1 for a real failure', () => {
    const { code } = cli(
      'explain',
      '--output',
      join(__dirname, 'logs', 'tf-downgraded-colab.log'),
      '--json'
    );
    expect(code).toBe(1);
  });
});

describe('table', () => {
  it('prints the bundled table, which is valid input for the table setting', () => {
    const { code, stdout } = cli('table');
    expect(code).toBe(0);
    expect(parseTable(JSON.parse(stdout)).ok).toBe(true);
  });
});

describe('bad input: exit 2 with a message', () => {
  it.each([
    [['frobnicate'], 'unknown command: frobnicate'],
    [['preflight'], 'preflight needs --cell TEXT or --notebook FILE'],
    [['explain'], 'explain needs --output LOG or -'],
    [['diagnose', '--facts', join(dir, 'missing.json')], 'ENOENT'],
    [
      ['diagnose', '--facts', file('garbled.json', '{"schema_ver')],
      'is not JSON'
    ],
    [
      ['diagnose', '--facts', file('bad.json', { ...colab, gpus: 'none' })],
      '$.gpus expected array'
    ],
    [
      ['preflight', '--notebook', file('notnb.ipynb', { hello: 1 })],
      'is not a notebook'
    ]
  ])('%j', (argv, message) => {
    const { code, stderr } = cli(...argv);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});

describe('--lang', () => {
  const cell = ['--facts', '', '--cell', '!pip install tensorflow==2.15.1'];
  const args = () => {
    cell[1] = file('colab-lang.json', colab);
    return cell;
  };

  it('zh_CN: the findings, fixes and footer in Simplified Chinese; ids and code as they are', () => {
    const { code, stdout } = cli('preflight', ...args(), '--lang', 'zh_CN');
    expect(code).toBe(1);
    expect(stdout).toContain(
      'ERROR pip-downgrade: 此单元格会将 TensorFlow 2.18.0 降级到 2.15.1'
    );
    expect(stdout).toContain('python -m pip install tensorflow==2.18.0');
    expect(stdout).toContain('（2026-12-01 版兼容性表）');
  });

  it('else the locale of the environment (LC_ALL before LANG), and English where none is shipped', () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, {
        LANGUAGE: '',
        LC_ALL: 'zh_CN.UTF-8',
        LANG: 'en_US.UTF-8'
      });
      expect(cli('preflight', ...args()).stdout).toContain('降级到');
      Object.assign(process.env, { LC_ALL: 'fr_FR.UTF-8' });
      expect(cli('preflight', ...args()).stdout).toContain(
        'This cell downgrades TensorFlow 2.18.0 to 2.15.1'
      );
    } finally {
      process.env = saved;
    }
  });

  it("bad input in the reader's language too, with the hint to --help", () => {
    const { code, stderr } = cli('preflight', '--lang', 'zh_CN');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'jupyterlab-gpu-compat: preflight 需要 --cell TEXT 或 --notebook FILE\n运行 jupyterlab-gpu-compat --help 查看用法。\n'
    );
  });

  it("--json: the reader's language beside the stable English ids", () => {
    const report = JSON.parse(
      cli('preflight', ...args(), '--lang', 'zh-CN', '--json').stdout
    );
    expect(report.findings[0].id).toBe('pip-downgrade');
    expect(report.findings[0].title).toBe(
      '此单元格会将 TensorFlow 2.18.0 降级到 2.15.1'
    );
  });
});
