import { COMPRESS_REQUEST_ABOVE_BYTES, MAX_REQUEST_JSON_BYTES } from '../../shared/contract/limits.ts';

/**
 * A JSON request body as the task pane sends it (contract v1.1, "Request body"): gzipped with the webview's
 * CompressionStream when it is large and the webview has one (WebView2, current browsers), plain JSON otherwise
 * (EdgeHTML in Excel 2019 has no CompressionStream). A body over 5 MB of JSON is never sent: the API would refuse it.
 */

export type PreparedBody =
  | {
      readonly kind: 'ready';
      readonly body: string | Uint8Array<ArrayBuffer>;
      readonly headers: Record<string, string>;
    }
  | { readonly kind: 'too-large'; readonly bytes: number };

export function canCompress(): boolean {
  return (
    typeof CompressionStream === 'function' &&
    typeof Blob === 'function' &&
    typeof Blob.prototype.stream === 'function' &&
    typeof Response === 'function'
  );
}

async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function prepareJsonBody(value: unknown, compress: boolean = canCompress()): Promise<PreparedBody> {
  const text = JSON.stringify(value);
  const bytes = new TextEncoder().encode(text);
  if (bytes.byteLength > MAX_REQUEST_JSON_BYTES) return { kind: 'too-large', bytes: bytes.byteLength };
  if (!compress || bytes.byteLength <= COMPRESS_REQUEST_ABOVE_BYTES) {
    return { kind: 'ready', body: text, headers: { 'content-type': 'application/json' } };
  }
  return {
    kind: 'ready',
    body: await gzip(bytes),
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
  };
}
