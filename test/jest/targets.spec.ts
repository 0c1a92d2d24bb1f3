/**
 * Hosted runtimes as targets, from their published package lists: every runtime Colab shipped is
 * healthy as it ships (a finding there is a false alarm), and a notebook's install cells are judged
 * against the runtime's whole list.
 */
import { diagnose, preflightCell } from '../../src/engine/diagnose';
import { showFinding } from '../../src/engine/shown';
import { bundledTable } from '../../src/engine/table';
import { hostedPackages } from '../../src/engine/hostedPackages';
import { targetChoices, targetFacts } from '../../src/engine/targets';

const table = bundledTable();
const lists = hostedPackages();

function target(name: string) {
  const facts = targetFacts(table, name, lists);
  if (!facts.ok) {
    throw new Error(facts.error);
  }
  return facts.value;
}

const loud = (findings: ReturnType<typeof diagnose>) =>
  findings
    .filter(f => f.severity !== 'info')
    .map(f => `${f.id}: ${showFinding(f).title}`);

describe('published runtime package lists', () => {
  const names = [
    ...new Set(lists.snapshots.map(s => `colab@${s.date.slice(0, 7)}`)),
    ...lists.snapshots
      .filter(s => s.runtime_version)
      .map(s => `colab@${s.runtime_version}`)
  ];

  it.each(names)('%s is healthy as it ships', name => {
    const facts = target(name);
    expect(facts.probe_version).toContain('its package list');
    expect(loud(diagnose(facts, table))).toEqual([]);
  });

  const kaggle = [
    ...new Set(
      table['hosted-runtimes'].rows
        .filter(r => r.runtime === 'kaggle')
        .map(r => `kaggle@${r.date.slice(0, 7)}`)
    )
  ];
  it.each(kaggle)(
    '%s (its frameworks from the table, no package list) is healthy as it ships',
    name => {
      expect(loud(diagnose(target(name), table))).toEqual([]);
    }
  );

  it('a pinnable runtime version is its own list', () => {
    const pinned = target('colab@2025.07');
    expect(pinned.packages.tensorflow).toBe('2.18.0');
    expect(pinned.python.version).toBe('3.11.13');
    expect(() => target('colab@2024.01')).toThrow(
      /no pinnable runtime version 2024.01/
    );
  });

  it("a cell is judged against the runtime's whole list: numpy<2 on a NumPy 2 runtime", () => {
    const facts = target('colab@2026-08');
    expect(facts.packages.numpy).toBe('2.1.3');
    const ids = preflightCell(facts, table, '!pip install "numpy<2"').map(
      f => `${f.severity}:${f.id}`
    );
    expect(ids).toContain('warning:pip-downgrade');
  });
});

describe("a runtime's GPU pool", () => {
  it("kaggle/p100: Kaggle's torch 2.10+cu128 has no kernels for the P100 (docker-python#1546), its T4 runs it", () => {
    const p100 = target('kaggle@2026-06/p100');
    expect(p100.gpus[0].name).toBe('Tesla P100-PCIE-16GB');
    expect(diagnose(p100, table).map(f => `${f.severity}:${f.id}`)).toContain(
      'error:compute-capability-unsupported'
    );
    const t4 = target('kaggle@2026-06/t4');
    expect(t4.gpus[0].name).toBe('Tesla T4');
    expect(loud(diagnose(t4, table))).toEqual([]);
  });

  it('a GPU the table does not state for the runtime is bad input, with the ones it knows', () => {
    const facts = targetFacts(table, 'kaggle@2026-06/h100', lists);
    expect(facts.ok).toBe(false);
    expect(!facts.ok && facts.error).toContain(
      'no h100 among the GPUs the table states for kaggle'
    );
  });
});

describe('what a notebook can be checked for', () => {
  it("each runtime's newest, Kaggle's GPU pools, then Colab's pinnable versions, newest first", () => {
    const choices = targetChoices(table, lists);
    expect(choices.map(c => c.target)).toEqual([
      'colab',
      'kaggle',
      'kaggle/p100',
      'kaggle/t4',
      'colab@2026.07',
      'colab@2026.04',
      'colab@2026.01',
      'colab@2025.10',
      'colab@2025.07'
    ]);
    // Every choice is a target the engine takes.
    for (const choice of choices) {
      expect(targetFacts(table, choice.target, lists).ok).toBe(true);
    }
  });
});
