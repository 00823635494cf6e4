// The test reporter: Node's spec reporter, plus one line before its closing summary that
// says how many store tests ran on each database and how many were skipped (PostgreSQL
// unreachable without REQUIRE_POSTGRES=1).
import { spec as SpecReporter } from 'node:test/reporters';

const DIALECT = /\[(sqlite|postgres)\]/;

function summaryLine(counts) {
  const { sqlite, postgres } = counts;
  const skipped = sqlite.skipped + postgres.skipped;
  return (
    `ℹ store contract: ${sqlite.ran} tests ran on sqlite, ${postgres.ran} on postgres` +
    (skipped > 0 ? `; ${skipped} suites or tests skipped (database unreachable)` : '') +
    '\n'
  );
}

// node:test/reporters exports `spec` as a factory, so it is wrapped rather than extended.
export default class DialectSummaryReporter {
  constructor() {
    const reporter = new SpecReporter();
    const forward = reporter._transform.bind(reporter);
    const counts = { sqlite: { ran: 0, skipped: 0 }, postgres: { ran: 0, skipped: 0 } };
    // Names of the open tests by nesting level. (Not keyed by file: a suite reports the
    // file that declared it, which for the per-database suites is the helper.)
    const stack = [];
    let printed = false;
    reporter._transform = (event, encoding, callback) => {
      const { data } = event;
      if (event.type === 'test:start') {
        stack[data.nesting] = data.name;
        stack.length = data.nesting + 1;
      } else if (event.type === 'test:pass' || event.type === 'test:fail') {
        const path = [...stack.slice(0, data.nesting), data.name].join(' ');
        const dialect = DIALECT.exec(path)?.[1];
        // A skipped suite reports no tests of its own: it counts as one skipped suite.
        if (dialect && data.skip) counts[dialect].skipped += 1;
        else if (dialect && data.details?.type !== 'suite') counts[dialect].ran += 1;
      } else if (event.type === 'test:diagnostic' && !printed && /^tests \d+/.test(data.message)) {
        printed = true;
        reporter.push(summaryLine(counts));
      }
      forward(event, encoding, callback);
    };
    return reporter;
  }
}
