/**
 * Fuzz and property tests of the pip-cell parser: random and adversarial cells never make it
 * throw, every position it reports lies in the cell, and what the fixes quote parses back to
 * what was meant. (How its time grows with the input is measured in bench/parser.)
 */
import { preflightCell } from '../../src/engine/diagnose';
import { parseCell } from '../../src/engine/pip/parse';
import { quoteArg } from '../../src/engine/quote';
import { bundledTable } from '../../src/engine/table';
import { makeFacts } from './facts';

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '!pip install ',
  '%pip install ',
  'pip3 uninstall -y ',
  '!python -m pip install -U ',
  '!{sys.executable} -m pip install ',
  '%conda install -c nvidia ',
  '!uv pip install ',
  'tensorflow==2.15.1',
  '"torch>=2.1,<2.3"',
  "'jax[cuda12]'",
  'bitsandbytes>=0.43.1',
  'numpy<2',
  ' && ',
  '; ',
  ' | ',
  ' \\\n',
  '\n',
  ' # comment ',
  '"',
  "'",
  '\\',
  '{',
  '}',
  '$VAR',
  '`x`',
  ' --index-url https://example.org/whl/cu121 ',
  ' -r req.txt ',
  '>',
  '<',
  '2>&1',
  '\u0000',
  '\uffff',
  'é',
  '  '
];

function randomCell(next: () => number): string {
  const parts: string[] = [];
  const count = 1 + Math.floor(next() * 30);
  for (let i = 0; i < count; i++) {
    parts.push(
      next() < 0.85
        ? PIECES[Math.floor(next() * PIECES.length)]
        : String.fromCharCode(Math.floor(next() * 0x3000))
    );
  }
  return parts.join('');
}

function checkPlan(cell: string) {
  const plan = parseCell(cell);
  const lines = cell.split('\n').length;
  const inCell = (span: { from: number; to: number }) =>
    span.from >= 0 && span.from <= span.to && span.to <= cell.length;
  for (const command of plan.commands) {
    expect(inCell(command)).toBe(true);
    expect(command.line).toBeGreaterThanOrEqual(1);
    expect(command.line).toBeLessThanOrEqual(lines);
    for (const item of [...command.requirements, ...command.unquoted]) {
      expect(inCell(item)).toBe(true);
      expect(item.line).toBeGreaterThanOrEqual(1);
      expect(item.line).toBeLessThanOrEqual(lines);
    }
    command.unknown.forEach(u => expect(inCell(u)).toBe(true));
  }
  expect(parseCell(cell)).toEqual(plan); // deterministic
}

describe('the parser on random cells', () => {
  const table = bundledTable();
  const facts = makeFacts({
    packages: { tensorflow: '2.18.0', torch: '2.5.1' },
    frameworks: { imported: { torch: '2.5.1' } }
  });

  it('never throws, and every span lies in the cell (2,000 seeded cells)', () => {
    const next = random(20261123);
    for (let i = 0; i < 2000; i++) {
      const cell = randomCell(next);
      try {
        checkPlan(cell);
        expect(() => preflightCell(facts, table, cell)).not.toThrow();
      } catch (error) {
        throw new Error(`cell ${i}: ${JSON.stringify(cell)}\n${error}`);
      }
    }
  });

  it.each([
    ['deep quotes', '!pip install ' + '"\'"'.repeat(5000)],
    ['deep braces', '!pip install ' + '{'.repeat(5000) + '}'.repeat(4999)],
    ['many continuations', '!pip install \\\n'.repeat(1000) + 'torch'],
    ['a long line', '!pip install ' + 'torch==2.5.1 '.repeat(2000)],
    ['many chains', '!pip install a' + ' && pip install b'.repeat(1000)],
    [
      'binary',
      String.fromCharCode(...Array.from({ length: 5000 }, (_, i) => i % 256))
    ],
    ['redirections', '!pip install ' + 'x>=1,<'.repeat(5000)]
  ])('adversarial: %s', (_, cell) => {
    checkPlan(cell);
    expect(() => preflightCell(facts, table, cell)).not.toThrow();
  });
});

describe('quoting round trip', () => {
  it('every requirement the fixes quote parses back to the same name and specifier', () => {
    const next = random(7);
    const names = ['torch', 'tensorflow', 'tf-keras', 'bitsandbytes', 'jax'];
    const extras = ['', '[and-cuda]', '[cuda12]'];
    const specs = [
      '',
      '==2.15.1',
      '>=0.43.1',
      '~=2.15.0',
      '>=2.1,<2.3',
      '!=2.0.0',
      '==2.15.*',
      '==2.2.0+cu121',
      '<2'
    ];
    for (let i = 0; i < 300; i++) {
      const name = names[Math.floor(next() * names.length)];
      const extra = extras[Math.floor(next() * extras.length)];
      const spec = specs[Math.floor(next() * specs.length)];
      for (const magic of ['!pip', '%pip']) {
        const [command] = parseCell(
          `${magic} install ${quoteArg(name + extra + spec)}`
        ).commands;
        expect(command.unquoted).toEqual([]);
        expect(command.requirements.map(r => [r.name, r.specifier])).toEqual([
          [name, spec]
        ]);
      }
    }
  });
});
