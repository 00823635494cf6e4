import { deflateSync } from 'node:zlib';

/** Files for upload tests: minimal but valid, built by hand, and the multipart upload itself. */

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A 1×1 red PNG; `commentBytes` pads it with a text chunk of that many bytes, still a valid image. */
export function png(options: { commentBytes?: number } = {}): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0); // width
  header.writeUInt32BE(1, 4); // height
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    ...(options.commentBytes === undefined ? [] : [pngChunk('tEXt', Buffer.concat([Buffer.from('Comment\0'), Buffer.alloc(options.commentBytes, 0x61)]))]),
    pngChunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface UploadAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON answer, or undefined when it is not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

/** POSTs `bytes` as a multipart upload to an incident's attachments on the server at `baseUrl`. */
export async function uploadAttachment(
  baseUrl: string,
  token: string,
  incidentId: string,
  bytes: Buffer,
  filename: string,
  options: { field?: string; type?: string } = {},
): Promise<UploadAnswer> {
  const form = new FormData();
  form.append(options.field ?? 'file', new Blob([bytes], { type: options.type ?? 'application/octet-stream' }), filename);
  const response = await fetch(`${baseUrl}/api/incidents/${incidentId}/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined, text };
}
