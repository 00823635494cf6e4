/**
 * A department's phone as people write it: an optional `+`, then digits, spaces, brackets
 * and hyphens (`+51 1 555-0101`, `(01) 230 5000`), 5 to 23 characters after the first digit.
 * Unanchored and written so that it is valid both in JSON Schema (the `u` flag) and in an
 * HTML `pattern` attribute (which compiles with the `v` flag: brackets and hyphens inside a
 * class must be escaped there, or the browser ignores the pattern).
 */
export const DEPARTMENT_PHONE_PATTERN = '\\+?[0-9][0-9 \\(\\)\\-]{4,22}';
