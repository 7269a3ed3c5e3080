import { createHash } from 'node:crypto';

/**
 * Lower-case hex sha256 of UTF-8 text or bytes, synchronously. The same digest as shared's WebCrypto `sha256Hex` (a
 * test compares them), which the add-in needs; in a Lambda node:crypto hashes a submission in a quarter of the CPU and
 * without a round through the promise queue.
 */
export function sha256HexOf(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
