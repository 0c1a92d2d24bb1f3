/** The real-report corpus (test/corpus): accuracy and false alarms, printed and held to the targets. */
import { diagnose } from '../../src/engine/diagnose';
import { hostedPackages } from '../../src/engine/hostedPackages';
import { bundledTable } from '../../src/engine/table';
import { targetFacts } from '../../src/engine/targets';
import { formatReport, loadCases, scoreCorpus } from '../corpus/score';

const table = bundledTable();

describe('the corpus of real reports', () => {
  const factsOnly = scoreCorpus(table);
  const withMessages = scoreCorpus(table, true);

  it('prints its score', () => {
    // The hosted runtimes as they shipped (their published package lists): healthy by definition.
    const lists = hostedPackages();
    const alarms = lists.snapshots.filter(s => {
      const facts = targetFacts(
        table,
        s.runtime_version
          ? `${s.runtime}@${s.runtime_version}`
          : `${s.runtime}@${s.date.slice(0, 7)}`,
        lists
      );
      return (
        facts.ok &&
        diagnose(facts.value, table).some(f => f.severity !== 'info')
      );
    });
    process.stdout.write(
      `\nFrom the stated facts alone:\n${formatReport(factsOnly)}\n` +
        `\nFrom the facts and the quoted log lines (explain):\n${formatReport(withMessages)}\n` +
        `\nPublished runtime package lists (healthy as shipped): ${lists.snapshots.length}, false alarms: ${alarms.length}\n`
    );
    expect(factsOnly.total).toBeGreaterThanOrEqual(100);
  });

  it.each([
    ['facts alone', factsOnly],
    ['facts and log lines', withMessages]
  ])('raises no error or warning on a healthy stack (%s)', (_, report) => {
    expect(
      report.scored
        .filter(s => s.falseAlarm)
        .map(s => `${s.case.id}: ${s.findings.map(f => f.id).join(', ')}`)
    ).toEqual([]);
  });

  it('gets at least 90% of the cases right', () => {
    expect(withMessages.right / withMessages.total).toBeGreaterThanOrEqual(0.9);
  });

  it('every case is sourced, quoted and well formed', () => {
    const ids = new Set<string>();
    for (const { case: c } of loadCases()) {
      expect(c.url).toMatch(/^https:\/\//);
      expect(c.quote.length).toBeGreaterThan(0);
      expect(c.date).toMatch(/^\d{4}-\d{2}$/);
      expect(['broken', 'healthy']).toContain(c.verdict);
      expect(c.verdict === 'broken' ? !!c.expect : !c.expect).toBe(true);
      expect(ids.has(c.id)).toBe(false);
      ids.add(c.id);
    }
  });
});
