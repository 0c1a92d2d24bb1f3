// The table and the catalogue keep, beside what the engine reads, what is there for people (where a
// fact came from, reviewers' notes). The bundles only run the engine: this webpack rule leaves the
// rest out of them (the labextension through webpack.config.js, report.js and cli.js through
// scripts/build-bundles.js).
const FOR_PEOPLE = new Set([
  'notes',
  'provenance',
  'and_cuda_provenance',
  'tensorrt_provenance',
  'evidence',
  'arch_sources',
  'example_sources',
  'expect_params'
]);

const withoutNotes = value =>
  Array.isArray(value)
    ? value.map(withoutNotes)
    : value && typeof value === 'object'
      ? Object.fromEntries(
          Object.entries(value)
            .filter(([key]) => !FOR_PEOPLE.has(key))
            .map(([key, v]) => [key, withoutNotes(v)])
        )
      : value;

module.exports = {
  test: /[\\/](compat|messages)[\\/][^\\/]+\.json$/,
  type: 'json',
  parser: { parse: text => withoutNotes(JSON.parse(text)) }
};
