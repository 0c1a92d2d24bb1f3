/** The catalogue of real messages (src/messages) and pasted reports read as facts. */
import { readFileSync } from 'fs';
import { join } from 'path';
import { diagnose } from '../../src/engine/diagnose';
import { capabilityOf } from '../../src/engine/gpuNames';
import {
  bundledCatalogue,
  findMessages,
  readParam
} from '../../src/engine/messages';
import { explainOutput } from '../../src/engine/outputs';
import { factsFromReport } from '../../src/engine/reports';
import { bundledTable } from '../../src/engine/table';
import { FINDING_IDS } from '../../src/engine/types';
import { render } from '../../src/engine/text';
import { showFinding } from '../../src/engine/shown';

const table = bundledTable();
const catalogue = bundledCatalogue();

/** Ids no log line can mean: they are about the engine or an install cell before it runs. */
const NOT_FROM_LOGS = new Set([
  'unknown-version',
  'pip-unquoted-specifier',
  'pip-restart-needed',
  'pip-cpu-torch',
  'container-no-gpu'
]);

describe('the message catalogue', () => {
  it('has at least 150 entries, each with a real example from a public thread', () => {
    expect(catalogue.entries.length).toBeGreaterThanOrEqual(150);
    for (const entry of catalogue.entries) {
      expect(entry.examples.length).toBeGreaterThan(0);
      for (const example of entry.examples) {
        expect(example.url).toMatch(/^https:\/\/\S+$/);
      }
    }
  });

  it('ids are unique and findings are known ids or benign', () => {
    const ids = catalogue.entries.map(e => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const known = new Set<string>([...FINDING_IDS, 'benign']);
    expect(
      catalogue.entries.filter(e => !known.has(e.finding)).map(e => e.id)
    ).toEqual([]);
  });

  it('every example is recognised as its own entry (a generic one may yield to a specific one of its finding)', () => {
    const wrong: string[] = [];
    for (const entry of catalogue.entries) {
      for (const example of entry.examples) {
        const [match] = findMessages(example.line, catalogue);
        const ok =
          match?.entry === entry ||
          (entry.fallback && match?.entry.finding === entry.finding);
        if (!ok) {
          wrong.push(
            `${entry.id}: got ${match?.entry.id ?? 'nothing'} for ${example.line.slice(0, 80)}`
          );
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the parameters of the first example are extracted as stated', () => {
    for (const entry of catalogue.entries.filter(e => e.expect_params)) {
      const groups =
        new RegExp(entry.pattern).exec(entry.examples[0].line)?.groups ?? {};
      for (const [name, raw] of Object.entries(entry.expect_params!)) {
        expect(`${entry.id}.${name}=${groups[name]}`).toBe(
          `${entry.id}.${name}=${raw}`
        );
      }
    }
  });

  it('every finding a log can mean is reachable from at least one entry', () => {
    const reached = new Set(catalogue.entries.map(e => e.finding));
    expect(
      FINDING_IDS.filter(id => !reached.has(id) && !NOT_FROM_LOGS.has(id))
    ).toEqual([]);
  });

  it.each([
    ['cuda-int', '12080', '12.8'],
    ['cuda-int', '11040', '11.4'],
    ['cudnn-int', '8902', '8.9.2'],
    ['cudnn-int', '90100', '9.1.0'],
    ['cudnn-tuple', '8, 7, 0', '8.7.0'],
    ['sm', 'sm_120', '12.0'],
    ['sm', '86', '8.6'],
    ['sm', '8.9', '8.9'],
    ['arch-list', 'sm_50 sm_60,sm_70', 'sm_50 sm_60 sm_70']
  ] as const)('a %s parameter %j reads as %j', (kind, raw, value) => {
    expect(readParam(kind, raw)).toBe(value);
  });

  it('a line that matches nothing is not a finding', () => {
    const { matches, findings } = explainOutput(
      'Epoch 1/10\nloss: 0.1234 - accuracy: 0.98\nCUDA is great\nno errors here',
      null,
      table
    );
    expect([matches, findings]).toEqual([[], []]);
  });

  it('no pattern is catastrophic: every pattern on adversarial lines, each one line of 20,000 characters', () => {
    const nasty = [
      'a'.repeat(20000),
      ' '.repeat(20000) + '!',
      'CUDA '.repeat(4000),
      'Could not load dynamic library '.repeat(600),
      '('.repeat(10000) + ')'.repeat(10000),
      'sm_'.repeat(6000) + 'x',
      'libcudnn.so.'.repeat(1500),
      '==='.repeat(6000),
      'found version '.repeat(1400)
    ];
    // Bounded by jest's test timeout: a backtracking pattern would not return.
    for (const line of nasty) {
      for (const pattern of catalogue.patterns) {
        pattern.exec(line);
      }
    }
    expect(
      findMessages(nasty.join('\n'), catalogue).length
    ).toBeGreaterThanOrEqual(0);
  });
});

describe('the parameters feed the finding', () => {
  it('torch "found version 12080" with the facts of a cu130 torch: the driver\'s CUDA comes from the log', () => {
    const { findings } = explainOutput(
      'UserWarning: CUDA initialization: The NVIDIA driver on your system is too old (found version 12080).',
      {
        ...factsFromReport(
          'PyTorch version: 2.9.0+cu130\nCUDA used to build PyTorch: 13.0\nOS: Ubuntu 22.04\n',
          table
        )!.facts
      },
      table
    );
    const [finding] = findings;
    expect(finding.id).toBe('driver-too-old');
    expect(render(finding.title)).toBe(
      'torch 2.9.0+cu130 needs CUDA 13.0; the driver supports up to 12.8'
    );
    expect(showFinding(finding).evidence).toContainEqual({
      label: 'the log says',
      value: 'driver cuda 12.8'
    });
  });

  it('"sm_120 is not compatible" alone: the GPU and its compute capability come from the log', () => {
    const { findings } = explainOutput(
      'NVIDIA GeForce RTX 5090 with CUDA capability sm_120 is not compatible with the current PyTorch installation.\n' +
        'The current PyTorch install supports CUDA capabilities sm_50 sm_60 sm_70 sm_75 sm_80 sm_86 sm_90.',
      null,
      table
    );
    expect(findings[0].id).toBe('compute-capability-unsupported');
    expect(findings[0].evidence.map(e => e.value).join(' ')).toContain('12.0');
  });
});

describe('pasted reports read as facts', () => {
  const collectEnv = readFileSync(
    join(__dirname, 'logs', 'collect-env-rtx4090-cu124.txt'),
    'utf8'
  );

  it('collect_env: versions, the driver, the GPU and its compute capability; partial, so absences say nothing', () => {
    const { facts, kinds } = factsFromReport(collectEnv, table)!;
    expect(kinds).toEqual(['collect_env']);
    expect(facts.partial).toBe(true);
    expect(facts.frameworks.torch).toEqual({
      version: '2.5.1+cu124',
      cuda: '12.4'
    });
    expect(facts.driver.version).toBe('550.54.15');
    expect(facts.gpus).toEqual([
      { index: 0, name: 'NVIDIA GeForce RTX 4090', compute_capability: '8.9' }
    ]);
    expect(facts.python.version).toBe('3.10.12');
    expect(facts.packages['nvidia-cudnn-cu12']).toBe('9.1.0.70');
    expect(facts.scans?.libraries).toBeUndefined();
    // A healthy machine stays healthy: no error or warning from a partial report.
    expect(diagnose(facts, table).filter(f => f.severity !== 'info')).toEqual(
      []
    );
  });

  it('nvidia-smi: the driver, its CUDA and the GPUs', () => {
    const smi = [
      '+-----------------------------------------------------------------------------------------+',
      '| NVIDIA-SMI 550.54.15              Driver Version: 550.54.15      CUDA Version: 12.4     |',
      '|-----------------------------------------+------------------------+----------------------+',
      '|   0  Tesla T4                       Off |   00000000:00:04.0 Off |                    0 |'
    ].join('\n');
    const { facts, kinds } = factsFromReport(smi, table)!;
    expect(kinds).toEqual(['nvidia-smi']);
    expect(facts.driver).toMatchObject({
      version: '550.54.15',
      cuda_version: '12.4'
    });
    expect(facts.gpus).toEqual([
      { index: 0, name: 'Tesla T4', compute_capability: '7.5' }
    ]);
  });

  it('pip freeze: the whole package list (so its absences count)', () => {
    const freeze = [
      'torch==2.5.1+cu124',
      'torchvision==0.20.1+cu124',
      'numpy==1.26.4',
      'nvidia-cudnn-cu12==9.1.0.70',
      'transformers==4.46.0'
    ].join('\n');
    const { facts, kinds } = factsFromReport(freeze, table)!;
    expect(kinds).toEqual(['pip freeze']);
    expect(facts.scans?.packages).toBe(true);
    expect(facts.frameworks.torch).toEqual({
      version: '2.5.1+cu124',
      cuda: '12.4'
    });
  });

  it('python -m bitsandbytes and jax.print_environment_info', () => {
    const text = [
      'bitsandbytes==0.41.1',
      "CUDA specs: CUDASpecs(highest_compute_capability=(8, 6), cuda_version_string='124', cuda_version_tuple=(12, 4))",
      'jax:    0.4.30',
      'jaxlib: 0.4.30'
    ].join('\n');
    const { facts, kinds } = factsFromReport(text, table)!;
    expect(kinds).toEqual([
      'python -m bitsandbytes',
      'jax.print_environment_info'
    ]);
    expect(facts.frameworks.bitsandbytes?.version).toBe('0.41.1');
    expect(facts.frameworks.jax).toMatchObject({
      version: '0.4.30',
      jaxlib: '0.4.30'
    });
  });

  it('text that is no report gives no facts', () => {
    expect(factsFromReport('hello\nworld', table)).toBeNull();
  });
});

describe('GPU names as the tools print them', () => {
  it.each([
    ['NVIDIA GeForce RTX 5090 D', '12.0'],
    ['NVIDIA A100-SXM4-80GB', '8.0'],
    ['Tesla T4', '7.5'],
    ['NVIDIA GeForce RTX 4060 Laptop GPU', '8.9'],
    ['NVIDIA H100 80GB HBM3', '9.0'],
    ['NVIDIA GeForce GTX 1080 Ti', '6.1'],
    ['Tesla P100-PCIE-16GB', '6.0'],
    ['NVIDIA L4', '8.9']
  ])('%s is compute capability %s', (name, cc) => {
    expect(capabilityOf(name, table)).toBe(cc);
  });

  it('every example of the table maps to its own row', () => {
    for (const row of table['gpu-names'].rows) {
      for (const example of row.examples) {
        expect(`${example}: ${capabilityOf(example, table)}`).toBe(
          `${example}: ${row.compute_capability}`
        );
      }
    }
  });
});
