/** Text helpers shared by validation and search; pure and locale-independent. */

/** Lower-case, strip accents and collapse everything that is not a letter or digit to spaces. */
export function foldText(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Unicode NFC and trimmed: how user-typed names and titles are stored. */
export function cleanText(value: string): string {
  return value.normalize('NFC').trim();
}

export function normalizeEmail(value: string): string {
  return value.normalize('NFC').trim().toLowerCase();
}

// Control characters (other than tab and newline in multi-line text), lone surrogates,
// and the bidi overrides that let a name display differently from what it is.
const UNSAFE_LINE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]|\p{Cs}/u;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]|\p{Cs}/u;

/** A single line of user text: no control characters, no lone surrogates, no bidi overrides. */
export const isSafeLine = (value: string): boolean => !UNSAFE_LINE.test(value) && value.trim().length > 0;
/** Multi-line user text: as a line, but tabs and line breaks (\n, \r\n) are allowed. */
export const isSafeText = (value: string): boolean => !UNSAFE_TEXT.test(value) && value.trim().length > 0;
