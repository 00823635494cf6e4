import { validationError } from '@alertautec/core';

/** Opaque list cursors: base64url JSON of the last item's sort key. */
export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, isKey: (value: unknown) => value is T): T | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (isKey(value)) return value;
  } catch {
    // fall through to the validation error
  }
  throw validationError('The cursor is not one this server issued.', [{ path: '/cursor', message: 'invalid cursor' }], 'invalid_cursor');
}

export const isString = (value: unknown): value is string => typeof value === 'string' && value.length <= 128;

/** Takes one row more than asked to know whether another page exists. */
export function pageOf<Row, Item>(rows: Row[], limit: number, present: (row: Row) => Item, keyOf: (row: Row) => unknown) {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return { items: pageRows.map(present), nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
}
