import { freshAccessToken, refreshSession } from './session.js';
import type { Attachment } from './types.js';

/** A failed API call, carrying the problem+json `code` and field errors (CONTRACT §3). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

interface Problem {
  title?: string;
  detail?: string;
  code?: string;
  errors?: { path: string; message: string }[];
}

async function toError(response: Response): Promise<ApiError> {
  let problem: Problem = {};
  try {
    problem = (await response.json()) as Problem;
  } catch {
    // not JSON: keep the status alone
  }
  return new ApiError(response.status, problem.code ?? `http_${response.status}`, problem.detail ?? problem.title ?? response.statusText, problem.errors);
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send without a token (sign in, register). */
  anonymous?: boolean;
}

async function send(method: string, path: string, options: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  try {
    return await fetch(path, { method, headers, body, signal: options.signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'The server could not be reached.');
  }
}

/** Sends with the current access token; a 401 refreshes once and retries. */
async function authorized(method: string, path: string, options: RequestOptions): Promise<Response> {
  if (options.anonymous) return send(method, path, options, null);
  const response = await send(method, path, options, await freshAccessToken());
  if (response.status !== 401) return response;
  const renewed = await refreshSession().catch(() => null);
  return renewed ? send(method, path, options, renewed.accessToken) : response;
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await authorized(method, path, options);
  if (!response.ok) throw await toError(response);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Fetches bytes with the Authorization header (an <img src> could not send it). */
export async function requestBlob(path: string, signal?: AbortSignal, accept = '*/*'): Promise<Blob> {
  const response = await authorized('GET', path, { signal, headers: { accept } });
  if (!response.ok) throw await toError(response);
  return response.blob();
}

function uploadOnce(path: string, file: File, token: string | null, onProgress: (fraction: number) => void): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => resolve({ status: xhr.status, text: xhr.responseText }));
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', 'The server could not be reached.')));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** Uploads one file as multipart field `file`, reporting progress from XHR upload events. */
export async function uploadFile(path: string, file: File, onProgress: (fraction: number) => void): Promise<Attachment> {
  let result = await uploadOnce(path, file, await freshAccessToken(), onProgress);
  if (result.status === 401) {
    const renewed = await refreshSession().catch(() => null);
    if (renewed) result = await uploadOnce(path, file, renewed.accessToken, onProgress);
  }
  if (result.status < 200 || result.status >= 300) {
    let problem: Problem = {};
    try {
      problem = JSON.parse(result.text) as Problem;
    } catch {
      // not JSON
    }
    throw new ApiError(result.status, problem.code ?? `http_${result.status}`, problem.detail ?? problem.title ?? 'Upload failed', problem.errors);
  }
  onProgress(1);
  return JSON.parse(result.text) as Attachment;
}
