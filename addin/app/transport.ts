import type { ApiTransport } from '../../shared/client/client.ts';
import { tooLargeMessage } from '../../shared/contract/limits.ts';
import { prepareJsonBody } from './compress.ts';

/**
 * How the webview sends the API client's requests: its fetch, bodies gzipped with CompressionStream when large and
 * the webview has one (compress.ts), a body over 5 MB refused before the upload with the API's own Italian message.
 */
export interface FetchTransportOptions {
  readonly fetch?: typeof fetch;
  /** Gzip large bodies; default: when the webview has CompressionStream. */
  readonly compress?: boolean;
}

export function fetchTransport(options: FetchTransportOptions = {}): ApiTransport {
  return async (request) => {
    const doFetch = options.fetch ?? ((url: string, init?: RequestInit) => fetch(url, init));
    const prepared = request.json === undefined ? undefined : await prepareJsonBody(request.json, options.compress);
    if (prepared?.kind === 'too-large') return { kind: 'too-large', message: tooLargeMessage(prepared.bytes) };
    let text: string;
    let status: number;
    try {
      const response = await doFetch(request.url, {
        method: request.method,
        headers: { ...request.headers, ...(prepared ? prepared.headers : {}) },
        ...(prepared ? { body: prepared.body } : {}),
      });
      status = response.status;
      text = await response.text();
    } catch {
      return { kind: 'unreachable' };
    }
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { kind: 'answered', status, json };
  };
}
