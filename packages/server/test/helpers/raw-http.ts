import net from 'node:net';

/**
 * HTTP spoken by hand over a socket from a chosen loopback address (127.0.0.2 is another
 * client as far as the server can tell), for tests of what happens to connections:
 * held open, trickled, refused.
 */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface RawConnection {
  socket: net.Socket;
  /** Resolves when the server has closed the connection, with everything it sent. */
  closed: Promise<string>;
  /** Sends a GET and resolves with its answer (the connection stays open unless told). */
  get(path: string, headers?: Record<string, string>): Promise<RawResponse>;
}

export async function connect(port: number, from = '127.0.0.1'): Promise<RawConnection> {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress: from });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let received = '';
  let waiter: (() => void) | null = null;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    received += chunk;
    waiter?.();
  });
  socket.on('error', () => undefined);
  const closed = new Promise<string>((resolve) =>
    socket.once('close', () => {
      waiter?.();
      resolve(received);
    }),
  );
  return {
    socket,
    closed,
    get: (path, headers = {}) =>
      new Promise<RawResponse>((resolve, reject) => {
        received = '';
        waiter = () => {
          const response = parseResponse(received);
          if (response) {
            waiter = null;
            resolve(response);
          } else if (socket.destroyed) {
            waiter = null;
            reject(new Error(`the connection closed before an answer: ${JSON.stringify(received)}`));
          }
        };
        const lines = Object.entries({ host: 'localhost', ...headers }).map(([name, value]) => `${name}: ${value}\r\n`);
        socket.write(`GET ${path} HTTP/1.1\r\n${lines.join('')}\r\n`);
      }),
  };
}

/** A complete response at the start of `text`, or null while more is to come. */
export function parseResponse(text: string): RawResponse | null {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...headerLines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  const rest = Buffer.from(text.slice(end + 4));
  if (rest.length < length) return null;
  const raw = rest.subarray(0, length).toString('utf8'); // what follows is the next answer
  const body = /json/.test(headers['content-type'] ?? '') && raw ? JSON.parse(raw) : raw;
  return { status: Number(statusLine!.split(' ')[1]), headers, body };
}
