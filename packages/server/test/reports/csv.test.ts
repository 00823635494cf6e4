import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { CSV_BOM, csvCell, csvLines } from '../../src/reports/csv.js';
import { parseCsv } from './csv-parse.js';

const text = async (rows: Iterable<(string | number | null)[]>) => {
  const chunks: Buffer[] = [];
  for await (const chunk of Readable.from(csvLines(rows))) chunks.push(Buffer.from(chunk as string, 'utf8'));
  return Buffer.concat(chunks);
};

describe('CSV (RFC 4180, formula-safe)', () => {
  it('reads back exactly what was written: quotes, commas, CR/LF, accents and emoji', async () => {
    const rows = [
      ['plain', 'with, comma', 'say "hi"', 'two\nlines', 'cr\r\nlf', 'Pabellón Ñ — señal', '🚨 alerta', '', null, 42, 1.5],
    ];
    const bytes = await text(rows);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 BOM');
    const parsed = parseCsv(bytes.toString('utf8'));
    assert.deepEqual(parsed, [['plain', 'with, comma', 'say "hi"', 'two\nlines', 'cr\r\nlf', 'Pabellón Ñ — señal', '🚨 alerta', '', '', '42', '1.5']]);
  });

  it('guards text cells that a spreadsheet would evaluate, and only those', async () => {
    const dangerous = ['=HYPERLINK("http://x","y")', '+1+2', '-2+3', '@SUM(A1)', '\t=1', '=a,b'];
    const parsed = parseCsv((await text([dangerous])).toString('utf8'));
    assert.deepEqual(parsed[0], dangerous.map((value) => `'${value}`));
    // Numbers stay numbers (a negative count is not a formula); ordinary text is untouched.
    assert.equal(csvCell(-3), '-3');
    assert.equal(csvCell('a=b'), 'a=b');
    assert.equal(csvCell("'quoted"), "'quoted");
  });

  it('writes one record per row with CRLF, and an empty table as the BOM alone', async () => {
    assert.equal((await text([])).toString('utf8'), CSV_BOM);
    assert.equal((await text([['a', 'b'], ['c', 'd']])).toString('utf8'), `${CSV_BOM}a,b\r\nc,d\r\n`);
  });

  it('the test parser itself refuses malformed CSV (so the checks above can fail)', () => {
    assert.throws(() => parseCsv('a"b\r\n'));
    assert.throws(() => parseCsv('"a"b\r\n'));
    assert.throws(() => parseCsv('a\nb\r\n'));
    assert.throws(() => parseCsv('"open\r\n'));
  });
});
