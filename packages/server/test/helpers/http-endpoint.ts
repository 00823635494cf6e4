import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as it arrived, the body read to its end. */
export interface ArrivedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpEndpoint {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** Cuts open connections (a handler that never answers would hold the close) and stops. */
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 that stands in for a provider: `handle` answers each request once its body is in. */
export async function startHttpEndpoint(handle: (request: ArrivedRequest, response: http.ServerResponse) => void): Promise<HttpEndpoint> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      handle({ method: request.method!, url: request.url!, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') }, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
