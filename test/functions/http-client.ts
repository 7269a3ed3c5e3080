import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';

/**
 * A small HTTPS client that trusts exactly the local stack's certificate (no global NODE_TLS_REJECT_UNAUTHORIZED),
 * for the integration tests and the benchmark.
 */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
  readonly text: string;
  json<T = unknown>(): T;
}

export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  readonly token?: string;
}

export interface HttpClient {
  send(path: string, options?: RequestOptions): Promise<HttpResponse>;
  close(): void;
}

export function httpClient(baseUrl: string, caCertPath: string): HttpClient {
  const agent = new Agent({ ca: readFileSync(caCertPath, 'utf8'), keepAlive: true, maxSockets: 64 });
  const base = new URL(baseUrl);
  return {
    send(path, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const omitted = Object.keys(headers).filter((name) => headers[name] === '');
      for (const name of omitted) delete headers[name];
      const typed = [...Object.keys(headers), ...omitted].some((name) => name.toLowerCase() === 'content-type');
      if (options.body !== undefined && !typed) {
        headers['content-type'] = 'application/json';
      }
      // Explicit framing: Node sends a GET or DELETE body without one otherwise.
      if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
      return new Promise((resolve, reject) => {
        const outgoing = request(
          { agent, hostname: base.hostname, port: base.port, path, method: options.method ?? 'GET', headers },
          (incoming) => {
            const chunks: Buffer[] = [];
            incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
            incoming.on('error', reject);
            incoming.on('end', () => {
              const body = Buffer.concat(chunks);
              const text = body.toString('utf8');
              resolve({
                status: incoming.statusCode ?? 0,
                headers: incoming.headers,
                body,
                text,
                json: <T>() => JSON.parse(text) as T,
              });
            });
          },
        );
        outgoing.on('error', reject);
        outgoing.end(options.body);
      });
    },
    close() {
      agent.destroy();
    },
  };
}
