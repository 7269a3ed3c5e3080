/**
 * Request-size rules of contract v1.1 that the server and every client share. A Lambda behind the HTTP API receives
 * at most 6 MB of event (the body escaped inside JSON, or base64-encoded); 5 MB of JSON leaves room for both.
 */

/** The most JSON a request may carry, counted decompressed: over it the API answers its own Italian 413. */
export const MAX_REQUEST_JSON_BYTES = 5 * 1024 * 1024;

/**
 * Clients gzip a body above this. Compressed bodies travel base64-encoded (4/3 of their size) but a submission
 * compresses about twelvefold, so a 5 MB workbook becomes well under 1 MB of event; small bodies are not worth it.
 */
export const COMPRESS_REQUEST_ABOVE_BYTES = 64 * 1024;

/** The Italian sentence a client shows instead of sending a body the API would refuse. */
export function tooLargeMessage(bytes: number): string {
  const mb = (bytes / (1024 * 1024)).toLocaleString('it-IT', { maximumFractionDigits: 1 });
  return `Il rendiconto occupa ${mb} MB di dati: il limite è di 5 MB. Dividere i dati o ridurre le righe prima di inviarlo.`;
}
