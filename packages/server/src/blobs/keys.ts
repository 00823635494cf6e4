/**
 * Blob keys are relative paths the server builds: segments of letters, digits, `.`, `_` and
 * `-`, joined by `/`. A segment may not start with `.` (so no `.` or `..`, and names starting
 * with a dot stay free for the adapters' temporary files), none is empty, and nothing starts
 * with `/`. The same rule holds in every adapter, so a key that is safe on S3 is safe as a
 * path under DATA_DIR and the other way round. Data (ids, names) goes into a key only through
 * `keySegment`, which escapes it into a single safe segment.
 */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
/** S3 allows 1024 bytes per key, the prefix included; this leaves room for one. */
export const MAX_KEY_LENGTH = 900;

export class BadBlobKeyError extends Error {
  constructor(key: string, why: string) {
    super(`Bad blob key ${JSON.stringify(key.length > 200 ? `${key.slice(0, 200)}…` : key)}: ${why}`);
    this.name = 'BadBlobKeyError';
  }
}

/** Returns the key if it follows the rule above; throws BadBlobKeyError otherwise. */
export function checkBlobKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0) throw new BadBlobKeyError(String(key), 'empty');
  if (key.length > MAX_KEY_LENGTH) throw new BadBlobKeyError(key, `longer than ${MAX_KEY_LENGTH} characters`);
  for (const segment of key.split('/')) {
    if (!SEGMENT.test(segment)) {
      throw new BadBlobKeyError(key, segment === '' ? 'empty segment (leading, trailing or double "/")' : `segment "${segment}" is not [A-Za-z0-9_-][A-Za-z0-9._-]*`);
    }
  }
  return key;
}

/**
 * One key segment from data: letters, digits and `-` are kept, every other UTF-8 byte becomes
 * `_` and two upper-case hex digits (`_` itself is `_5F`, `.` is `_2E`, `/` is `_2F`). So the
 * result never holds a `/` or a `.`, and two different values never give the same segment.
 * A UUID comes out unchanged.
 */
export function keySegment(value: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new BadBlobKeyError(String(value), 'a key segment cannot be empty');
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9-]/.test(char) ? char : `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A key joined from server-chosen parts (`attachments`, `reports`…) and escaped data: `blobKey('attachments', keySegment(id))`. */
export function blobKey(...segments: string[]): string {
  return checkBlobKey(segments.join('/'));
}
