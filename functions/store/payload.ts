import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * Large texts (a submission's canonical JSON, its findings) are gzipped and, when still too big for an item, cut into
 * chunk items keyed by the hash of the compressed bytes. DynamoDB items stop at 400 KB; a 5 MB submission must still
 * come back byte for byte. Chunks are content-addressed, so writing one twice is harmless and a failed transaction
 * leaves only unreachable duplicates behind, never a wrong body.
 */

export const CHUNK_BYTES = 350_000;

export interface BlobRef {
  readonly hash: string;
  readonly chunks: number;
  readonly bytes: number;
}

export type EncodedText =
  | { readonly kind: 'inline'; readonly data: Uint8Array }
  | { readonly kind: 'chunked'; readonly ref: BlobRef; readonly chunks: readonly Uint8Array[] };

/** gzip, then inline when at most `inlineLimit` bytes, else chunks of CHUNK_BYTES. */
export function encodeText(text: string, inlineLimit: number): EncodedText {
  const data = new Uint8Array(gzipSync(Buffer.from(text, 'utf8')));
  if (data.byteLength <= inlineLimit) return { kind: 'inline', data };
  const hash = createHash('sha256').update(data).digest('hex');
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < data.byteLength; offset += CHUNK_BYTES) {
    chunks.push(data.subarray(offset, offset + CHUNK_BYTES));
  }
  return { kind: 'chunked', ref: { hash, chunks: chunks.length, bytes: data.byteLength }, chunks };
}

export function decodeText(data: Uint8Array): string {
  return gunzipSync(data).toString('utf8');
}

/** Reassembles chunks and proves they are the bytes that were written. */
export function joinChunks(ref: BlobRef, chunks: readonly Uint8Array[]): Uint8Array {
  const data = new Uint8Array(Buffer.concat(chunks));
  const hash = createHash('sha256').update(data).digest('hex');
  if (data.byteLength !== ref.bytes || hash !== ref.hash) {
    throw new Error(`Stored blob ${ref.hash} is incomplete or corrupt`);
  }
  return data;
}
