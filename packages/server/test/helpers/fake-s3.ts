import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local S3 endpoint for tests: a node:http server that answers, path-style
 * (`/<bucket>/<key>`), the calls the AWS SDK v3 makes for the blob store — PutObject,
 * GetObject, HeadObject, DeleteObject and multipart upload (Create, UploadPart, Complete,
 * Abort) — keeping objects in memory. It refuses what real S3 refuses and a test would
 * otherwise miss: another bucket, a request without a SigV4 Authorization header, a
 * multipart part under 5 MiB that is not the last, a completion naming parts it never got.
 * Bodies in the SDK's aws-chunked framing (streamed bodies with a trailing checksum) are
 * decoded.
 */
export interface FakeS3Object {
  body: Buffer;
  contentType: string | undefined;
}

export interface FakeS3Request {
  method: string;
  /** The S3 operation, as named by the API. */
  operation: string;
  key: string;
  authorization: string | undefined;
}

export interface FakeS3 {
  endpoint: string;
  bucket: string;
  objects: Map<string, FakeS3Object>;
  /** Multipart uploads begun and neither completed nor aborted, by upload id. */
  pendingUploads: Map<string, { key: string; parts: Map<number, Buffer> }>;
  requests: FakeS3Request[];
  /** Refusals it answered (wrong bucket, no signature…), for tests to assert none happened. */
  refusals: string[];
  /** Answers requests for which `when` holds with a 500 InternalError, until cleared. */
  failWhen(when: ((request: FakeS3Request) => boolean) | null): void;
  close(): Promise<void>;
}

const MIN_PART = 5 * 1024 * 1024;
const SIGV4 = /^AWS4-HMAC-SHA256 Credential=[^/\s]+\/\d{8}\/[a-z0-9-]+\/s3\/aws4_request, ?SignedHeaders=[a-z0-9;-]+, ?Signature=[0-9a-f]{64}$/;

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const etagOf = (body: Buffer) => `"${createHash('md5').update(body).digest('hex')}"`;

function sendError(response: http.ServerResponse, status: number, code: string, message: string, head = false) {
  response.writeHead(status, { 'content-type': 'application/xml' });
  response.end(head ? undefined : xml(`<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><RequestId>fake</RequestId></Error>`));
}

/** Undoes aws-chunked framing: `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` … `0\r\n<trailers>\r\n\r\n`. */
function decodeAwsChunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) throw new Error('aws-chunked body without a chunk header');
    const size = parseInt(raw.subarray(at, lineEnd).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size)) throw new Error('aws-chunked chunk size is not hex');
    at = lineEnd + 2;
    if (size === 0) return Buffer.concat(parts);
    parts.push(raw.subarray(at, at + size));
    at += size + 2;
  }
}

async function bodyOf(request: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const chunked = /aws-chunked/.test(request.headers['content-encoding'] ?? '') || String(request.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
  const body = chunked ? decodeAwsChunked(raw) : raw;
  const declared = request.headers['x-amz-decoded-content-length'];
  if (declared !== undefined && Number(declared) !== body.length) throw new Error(`decoded length ${body.length} is not the declared ${declared}`);
  return body;
}

function operationOf(method: string, query: URLSearchParams): string {
  if (method === 'POST' && query.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && query.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'PUT' && query.has('uploadId')) return 'UploadPart';
  if (method === 'DELETE' && query.has('uploadId')) return 'AbortMultipartUpload';
  return { PUT: 'PutObject', GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' }[method] ?? `Unknown ${method}`;
}

export async function startFakeS3(bucket = 'alertautec-test'): Promise<FakeS3> {
  const objects = new Map<string, FakeS3Object>();
  const pendingUploads = new Map<string, { key: string; parts: Map<number, Buffer> }>();
  const requests: FakeS3Request[] = [];
  const refusals: string[] = [];
  let failing: ((request: FakeS3Request) => boolean) | null = null;

  const handle = async (request: http.IncomingMessage, response: http.ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://fake-s3');
    const method = request.method ?? 'GET';
    const head = method === 'HEAD';
    const [, bucketName, ...rest] = url.pathname.split('/');
    const key = rest.map((part) => decodeURIComponent(part)).join('/');
    const seen: FakeS3Request = { method, operation: operationOf(method, url.searchParams), key, authorization: request.headers.authorization };
    requests.push(seen);
    const refuse = (status: number, code: string, message: string) => {
      refusals.push(`${seen.operation} ${url.pathname}: ${code}`);
      request.resume();
      sendError(response, status, code, message, head);
    };
    if (!SIGV4.test(request.headers.authorization ?? '')) return refuse(403, 'AccessDenied', 'No SigV4 Authorization header.');
    if (bucketName !== bucket) return refuse(404, 'NoSuchBucket', `No bucket ${bucketName}.`);
    if (!key) return refuse(400, 'InvalidRequest', 'This endpoint only serves objects (path-style /bucket/key).');
    if (failing?.(seen)) {
      request.resume();
      return sendError(response, 500, 'InternalError', 'Injected failure.', head);
    }
    const uploadId = url.searchParams.get('uploadId');
    switch (seen.operation) {
      case 'PutObject': {
        const body = await bodyOf(request);
        objects.set(key, { body, contentType: request.headers['content-type'] });
        response.writeHead(200, { etag: etagOf(body) }).end();
        return;
      }
      case 'GetObject':
      case 'HeadObject': {
        const object = objects.get(key);
        if (!object) return sendError(response, 404, 'NoSuchKey', 'The specified key does not exist.', head);
        response.writeHead(200, {
          'content-length': String(object.body.length),
          'content-type': object.contentType ?? 'binary/octet-stream',
          etag: etagOf(object.body),
          'last-modified': new Date().toUTCString(),
        });
        response.end(head ? undefined : object.body);
        return;
      }
      case 'DeleteObject':
        request.resume();
        objects.delete(key);
        response.writeHead(204).end();
        return;
      case 'CreateMultipartUpload': {
        request.resume();
        const id = randomUUID();
        pendingUploads.set(id, { key, parts: new Map() });
        response.writeHead(200, { 'content-type': 'application/xml' });
        response.end(xml(`<InitiateMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${escapeXml(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`));
        return;
      }
      case 'UploadPart': {
        const upload = pendingUploads.get(uploadId!);
        if (!upload || upload.key !== key) return refuse(404, 'NoSuchUpload', 'No such upload.');
        const body = await bodyOf(request);
        upload.parts.set(Number(url.searchParams.get('partNumber')), body);
        response.writeHead(200, { etag: etagOf(body) }).end();
        return;
      }
      case 'CompleteMultipartUpload': {
        const upload = pendingUploads.get(uploadId!);
        if (!upload || upload.key !== key) return refuse(404, 'NoSuchUpload', 'No such upload.');
        const listed = [...(await bodyOf(request)).toString('utf8').matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((match) => ({
          number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(match[1]!)?.[1]),
          etag: /<ETag>(.*?)<\/ETag>/.exec(match[1]!)?.[1]?.replace(/&quot;/g, '"'),
        }));
        const bodies: Buffer[] = [];
        for (const [index, part] of listed.entries()) {
          const body = upload.parts.get(part.number);
          if (!body || etagOf(body) !== part.etag) return refuse(400, 'InvalidPart', `Part ${part.number} was not uploaded as listed.`);
          if (index > 0 && part.number <= listed[index - 1]!.number) return refuse(400, 'InvalidPartOrder', 'Parts must be in ascending order.');
          if (index < listed.length - 1 && body.length < MIN_PART) return refuse(400, 'EntityTooSmall', `Part ${part.number} is under 5 MiB.`);
          bodies.push(body);
        }
        if (bodies.length === 0) return refuse(400, 'MalformedXML', 'No parts listed.');
        const body = Buffer.concat(bodies);
        pendingUploads.delete(uploadId!);
        objects.set(key, { body, contentType: undefined });
        response.writeHead(200, { 'content-type': 'application/xml' });
        response.end(xml(`<CompleteMultipartUploadResult><Bucket>${bucket}</Bucket><Key>${escapeXml(key)}</Key><ETag>"${createHash('md5').update(body).digest('hex')}-${bodies.length}"</ETag></CompleteMultipartUploadResult>`));
        return;
      }
      case 'AbortMultipartUpload':
        request.resume();
        if (!pendingUploads.delete(uploadId!)) return sendError(response, 404, 'NoSuchUpload', 'No such upload.');
        response.writeHead(204).end();
        return;
      default:
        return refuse(405, 'MethodNotAllowed', `${method} is not served here.`);
    }
  };

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      refusals.push(`${request.method} ${request.url}: ${error.message}`);
      if (!response.headersSent) sendError(response, 400, 'BadRequest', error.message);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bucket,
    objects,
    pendingUploads,
    requests,
    refusals,
    failWhen: (when) => void (failing = when),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Points the AWS SDK's environment at the fake (endpoint, credentials, region) for a test
 * file; returns what puts the environment back as it was.
 */
export function useFakeS3Env(fake: FakeS3, accessKeyId: string): () => void {
  const values = { AWS_ENDPOINT_URL_S3: fake.endpoint, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: 'test-secret', AWS_REGION: 'sa-east-1' };
  const saved = Object.keys(values).map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, values);
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}
