/**
 * A strict RFC 4180 reader for the tests (no CSV package is installed): CRLF-ended records,
 * fields quoted with `"` and `""` inside; throws on anything a conforming file cannot hold
 * (a stray quote, text after a closing quote, a bare LF). Strips a leading UTF-8 BOM.
 */
export function parseCsv(text: string): string[][] {
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  while (i < text.length) {
    const char = text[i]!;
    if (char === '"') {
      if (field !== '') throw new Error(`quote inside an unquoted field at ${i}`);
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < text.length && text[i] !== ',' && text[i] !== '\r') throw new Error(`text after a closing quote at ${i}`);
      continue;
    }
    if (char === ',') {
      record.push(field);
      field = '';
      i++;
      continue;
    }
    if (char === '\r') {
      if (text[i + 1] !== '\n') throw new Error(`CR without LF at ${i}`);
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
      continue;
    }
    if (char === '\n') throw new Error(`bare LF at ${i}`);
    field += char;
    i++;
  }
  if (field !== '' || record.length > 0) throw new Error('last record not ended by CRLF');
  return records;
}
