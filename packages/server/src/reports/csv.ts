/**
 * CSV as RFC 4180 says it, for spreadsheet programs: fields joined by commas, records ended by
 * CRLF, a field quoted when it holds a comma, a quote, CR or LF (quotes doubled inside). The
 * file starts with a UTF-8 byte order mark so Excel reads accents right. A text cell starting
 * with `=`, `+`, `-`, `@` (or a tab or CR, which some programs skip before reading a formula)
 * is prefixed with `'` so it is shown, never evaluated (OWASP "CSV injection"); numbers are
 * written as numbers, so a negative number stays a number.
 */
export const CSV_BOM = '\uFEFF';

export type CsvCell = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRecord(cells: readonly CsvCell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The whole file as a stream of text chunks: the BOM, then one record per row as rows arrive. */
export async function* csvLines(rows: AsyncIterable<readonly CsvCell[]> | Iterable<readonly CsvCell[]>): AsyncGenerator<string> {
  yield CSV_BOM;
  for await (const row of rows) yield csvRecord(row);
}
