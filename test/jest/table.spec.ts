/** The compatibility table: every row sourced and dated, the unverified ones counted (goal: none). */
import { parseTarget } from '../../src/engine/arch';
import { bundledTable } from '../../src/engine/table';

const table = bundledTable();
const subjects = Object.entries(table) as [
  string,
  { meta: { made: string; sources: string[] }; rows: Record<string, unknown>[] }
][];

/** Rows whose provenance says a fact was recalled or could not be confirmed at its source. */
function unverified(): string[] {
  return subjects.flatMap(([name, subject]) =>
    subject.rows
      .filter(row =>
        Object.entries(row).some(
          ([key, value]) =>
            /provenance|confidence|note/.test(key) &&
            /recalled|unverified/i.test(String(value))
        )
      )
      .map(
        row =>
          `${name} ${String(row.version ?? row.gpu ?? row.cuda ?? row.pattern)}`
      )
  );
}

describe('the compatibility table', () => {
  it.each(subjects.map(([name]) => name))(
    '%s: dated, and every row has its source',
    name => {
      const subject = table[
        name as keyof typeof table
      ] as unknown as (typeof subjects)[number][1];
      expect(subject.meta.made).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(
        subject.rows.filter(row => !/^https:\/\/\S+$/.test(String(row.source)))
      ).toEqual([]);
    }
  );

  it('rows with a fact not confirmed at its source are counted, and their number only goes down (README: 9)', () => {
    // TensorFlow: the TensorRT major those releases dlopen (from build configs, not the wheels).
    expect(unverified()).toEqual([
      'tensorflow 2.21',
      'tensorflow 2.20',
      'tensorflow 2.19',
      'tensorflow 2.17',
      'tensorflow 2.9',
      'tensorflow 2.8',
      'tensorflow 2.5',
      'torch 1.8.0',
      'torch 1.10.2'
    ]);
  });

  it('every torch arch list names real targets (sm_XY cubins, compute_XY PTX)', () => {
    const lists = [
      ...Object.values(table.torch.arch_lists),
      ...table.torch.rows.flatMap(r => [
        ...Object.values(r.arch_lists ?? {}),
        ...Object.values(r.arch_lists_windows ?? {})
      ])
    ];
    expect(lists.length).toBeGreaterThan(60);
    expect(lists.flat().filter(target => !parseTarget(target))).toEqual([]);
  });

  it('torch releases from 1.7 on, each with its variants and the Pythons it has wheels for where known', () => {
    const versions = table.torch.rows.map(r => r.version);
    expect(versions).toEqual(
      expect.arrayContaining([
        '1.7.0',
        '1.8.1',
        '1.10.2',
        '1.12.1',
        '1.13.1',
        '2.0.0',
        '2.15.0'
      ])
    );
    const old = table.torch.rows.filter(r => r.version.startsWith('1.'));
    expect(
      old.every(r => r.variants?.length && r.pythons?.length && r.arch_lists)
    ).toBe(true);
  });
});
