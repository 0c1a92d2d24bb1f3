/** The real-report corpus (test/corpus): accuracy and false alarms, printed and held to the targets. */
import { bundledTable } from '../../src/engine/table';
import { formatReport, loadCases, scoreCorpus } from '../corpus/score';

const table = bundledTable();

describe('the corpus of real reports', () => {
  const report = scoreCorpus(table);

  it('prints its score', () => {
    process.stdout.write(`\n${formatReport(report)}\n`);
    expect(report.total).toBeGreaterThanOrEqual(100);
  });

  it('raises no error or warning on a healthy stack', () => {
    expect(
      report.scored
        .filter(s => s.falseAlarm)
        .map(s => `${s.case.id}: ${s.findings.map(f => f.id).join(', ')}`)
    ).toEqual([]);
  });

  it('gets at least 90% of the cases right', () => {
    expect(report.right / report.total).toBeGreaterThanOrEqual(0.9);
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
