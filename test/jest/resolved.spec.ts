/** The exact pre-flight's pure part: pip's installation report read as changes, judged by the pip rules. */
import { parseCell } from '../../src/engine/pip/parse';
import {
  changesFromReport,
  PipAnswer,
  preflightConfirmed,
  preflightResolved,
  preflightWithAnswers,
  uvPlanReport
} from '../../src/engine/resolved';
import { bundledTable } from '../../src/engine/table';
import { makeFacts, TF_2_18 } from './facts';
import { render } from '../../src/engine/text';
import { showFinding } from '../../src/engine/shown';

const table = bundledTable();
const colab = makeFacts({
  packages: { tensorflow: '2.18.0', numpy: '2.1.3' },
  frameworks: { tensorflow: TF_2_18, imported: {} }
});
/** The shape of `pip install --dry-run --report -` (installation report version 1), trimmed. */
const report = (items: [string, string][]) => ({
  version: '1',
  pip_version: '24.1.2',
  install: items.map(([name, version]) => ({
    is_direct: false,
    requested: name === 'keras-nlp',
    metadata: { metadata_version: '2.1', name, version }
  }))
});

describe('resolved pre-flight', () => {
  it('reads the changes against what is installed (unchanged packages are not changes)', () => {
    const parsed = changesFromReport(
      report([
        ['keras-nlp', '0.6.1'],
        ['tensorflow', '2.15.0'],
        ['numpy', '2.1.3']
      ]),
      colab
    );
    expect(parsed).toEqual({
      ok: true,
      value: [
        { name: 'keras-nlp', now: null, after: '0.6.1' },
        { name: 'tensorflow', now: '2.18.0', after: '2.15.0' }
      ]
    });
  });

  it('a report of another shape is a clear error', () => {
    expect(changesFromReport({ installed: [] }, colab)).toEqual({
      ok: false,
      error: 'pip\'s report has no "install" list: not an installation report'
    });
  });

  it('a package that drags TensorFlow down: the downgrade of what the cell never named, with the change table', () => {
    const [command] = parseCell('!pip install keras-nlp').commands;
    const findings = preflightResolved(colab, table, command, [
      { name: 'keras-nlp', now: null, after: '0.6.1' },
      { name: 'tensorflow', now: '2.18.0', after: '2.15.0' }
    ]);
    const [finding] = findings;
    expect(`${finding.severity}:${finding.id}`).toBe('error:pip-downgrade');
    expect(render(finding.title)).toBe(
      'This cell downgrades TensorFlow 2.18.0 to 2.15.0'
    );
    expect(showFinding(finding).evidence).toContainEqual({
      label: 'pip resolved this cell to',
      value: 'keras-nlp (new) → 0.6.1; tensorflow 2.18.0 → 2.15.0'
    });
  });

  it('a resolution that changes no framework is silent', () => {
    const [command] = parseCell('!pip install keras-nlp').commands;
    expect(
      preflightResolved(colab, table, command, [
        { name: 'keras-nlp', now: null, after: '0.6.1' }
      ])
    ).toEqual([]);
  });

  it("uv's dry-run plan reads as the same report", () => {
    const plan = [
      'Resolved 2 packages in 1ms',
      'Would install 2 packages',
      ' + needs-old-tf==1.0',
      ' + tensorflow==2.15.0',
      ' - tensorflow==2.18.0'
    ].join('\n');
    expect(changesFromReport(uvPlanReport(plan), colab)).toEqual({
      ok: true,
      value: [
        { name: 'needs-old-tf', now: null, after: '1.0' },
        { name: 'tensorflow', now: '2.18.0', after: '2.15.0' }
      ]
    });
  });

  describe('fixes only pip can confirm', () => {
    const plan = parseCell('!pip install keras-nlp');
    const dragsDown: PipAnswer = {
      ok: true,
      report: report([
        ['keras-nlp', '0.6.1'],
        ['tensorflow', '2.15.0']
      ])
    };
    const fixTitles = (findings: { fixes: { title: unknown }[] }[]) =>
      findings[0].fixes.map(f => render(f.title as never));

    it('are not offered where pip cannot be asked again', () => {
      const { findings } = preflightWithAnswers(
        colab,
        table,
        plan,
        () => dragsDown
      );
      expect(fixTitles(findings)).toEqual([]);
    });

    it('are offered when pip resolves them and nothing in what they change is flagged', async () => {
      const asked: string[] = [];
      const { findings } = await preflightConfirmed(
        colab,
        table,
        plan,
        () => dragsDown,
        async command => {
          asked.push(command.args.text);
          // Keeping TensorFlow beside keras-nlp resolves (an older keras-nlp); --no-deps changes
          // only keras-nlp; the [and-cuda] variant lands on 2.15 with its CUDA libraries: it runs.
          return command.args.text.includes('tensorflow==2.18.0')
            ? { ok: true, report: report([['keras-nlp', '0.5.2']]) }
            : command.args.text.includes('--no-deps')
              ? { ok: true, report: report([['keras-nlp', '0.6.1']]) }
              : dragsDown;
        }
      );
      expect(asked).toEqual([
        'install keras-nlp tensorflow==2.18.0',
        'install --no-deps keras-nlp',
        'install keras-nlp "tensorflow[and-cuda]==2.15.0" "tf-keras~=2.15.0"'
      ]);
      expect(fixTitles(findings)).toEqual([
        'Keep TensorFlow 2.18.0 while installing keras-nlp',
        'Install keras-nlp without its dependencies (keeps TensorFlow 2.18.0; check that it works with it)',
        'Install TensorFlow 2.15.0 with the CUDA libraries it was built for'
      ]);
      expect(findings[0].fixes.every(f => !f.confirm)).toBe(true);
    });

    it('a fix pip cannot resolve is not offered', async () => {
      const { findings } = await preflightConfirmed(
        colab,
        table,
        plan,
        () => dragsDown,
        async () => ({ ok: false, reason: 'ResolutionImpossible' })
      );
      expect(fixTitles(findings)).toEqual([]);
    });
  });
});
