/**
 * Checks a file the way the server will, before anything is sent: the type is judged by the
 * first bytes (the server's file-type check), never by the name or the type the browser
 * guesses from it, so "photo.jpg" that is really a program is refused here, not after the
 * incident exists. The accepted types and the size limit come from GET /api/config.
 */
const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
const startsWith = (bytes: Uint8Array, signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
const HEIF_BRANDS = ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'];

/** Content type by signature, for the types a campus report may carry. */
const SIGNATURES: Record<string, (bytes: Uint8Array) => boolean> = {
  'image/jpeg': (bytes) => startsWith(bytes, [0xff, 0xd8, 0xff]),
  'image/png': (bytes) => startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/webp': (bytes) => ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP',
  'image/heic': (bytes) => ascii(bytes, 4, 8) === 'ftyp' && HEIF_BRANDS.includes(ascii(bytes, 8, 12)),
  'application/pdf': (bytes) => ascii(bytes, 0, 4) === '%PDF',
};

/** What the bytes say the file is, or null when it is none of the known types. */
export async function detectFileType(file: Blob): Promise<string | null> {
  const head = new Uint8Array(await file.slice(0, 16).arrayBuffer());
  return Object.keys(SIGNATURES).find((type) => SIGNATURES[type]!(head)) ?? null;
}

export type FileProblem = { kind: 'tooLarge' } | { kind: 'badType' };

/**
 * Why the server would refuse this file, or null. A type the server accepts but this
 * check has no signature for is left to the server.
 */
export async function checkFile(file: File, limits: { maxBytes: number; types: readonly string[] }): Promise<FileProblem | null> {
  if (file.size > limits.maxBytes) return { kind: 'tooLarge' };
  const detected = await detectFileType(file);
  if (detected) return limits.types.includes(detected) ? null : { kind: 'badType' };
  const unknownToUs = limits.types.some((type) => !(type in SIGNATURES));
  return unknownToUs ? null : { kind: 'badType' };
}

/** "image/jpeg" → "JPEG", for the limits stated in the form. */
export const typeLabel = (type: string): string =>
  ({ 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'image/webp': 'WebP', 'image/heic': 'HEIC', 'application/pdf': 'PDF' })[type] ?? (type.split('/')[1] ?? type).toUpperCase();
