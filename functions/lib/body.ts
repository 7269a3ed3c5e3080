import { gunzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { MAX_REQUEST_JSON_BYTES } from '../../shared/contract/limits.ts';
import { deepNestingAt, MAX_JSON_DEPTH, wireJsonIssue } from '../../shared/contract/wire-json.ts';
import { badRequest, tooLarge, unsupportedMediaType } from './http.ts';
import { LAMBDA_PAYLOAD_BYTES } from './lambda-limits.ts';

/**
 * Request bodies as contract v1.1 ("Request body") defines them: `Content-Type: application/json` (a UTF-8 charset
 * allowed), optionally `Content-Encoding: gzip`; at most 5 MB of JSON once decompressed; no deeper than a submission,
 * no number JSON cannot round-trip, no lone surrogate or NUL, no `__proto__` member (shared/contract/wire-json.ts).
 * Anything else is this API's Italian 4xx, never a 5xx.
 */

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;

/** The contract's limit on a request's JSON, decompressed: 5 MB leaves room for the event inside Lambda's 6 MB. */
export const MAX_JSON_BYTES = MAX_REQUEST_JSON_BYTES;

export interface JsonBody {
  readonly text: string;
  readonly value: unknown;
}

function headerValue(event: Event, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

/** `application/json`, with at most a UTF-8 charset: RFC 8259 §8.1 makes JSON between systems UTF-8. */
function isJsonContentType(value: string): boolean {
  const [essence, ...parameters] = value.split(';').map((part) => part.trim().toLowerCase());
  if (essence !== 'application/json') return false;
  return parameters.every((parameter) => parameter === '' || /^charset="?utf-8"?$/.test(parameter));
}

/**
 * Inflates with a hard output limit: zlib stops as soon as the output would pass it (ERR_BUFFER_TOO_LARGE), so a gzip
 * bomb costs at most 5 MB of inflating, never its full size.
 */
function gunzipBounded(compressed: Buffer): Buffer {
  try {
    return gunzipSync(compressed, { maxOutputLength: MAX_JSON_BYTES });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw tooLarge();
    throw badRequest('Corpo compresso (gzip) non valido o incompleto.', [], 'INVALID_GZIP');
  }
}

/** The bytes the client sent, undone from API Gateway's base64 when the event carries them that way. */
function wireBytes(event: Event): Buffer {
  const raw = event.body ?? '';
  return event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
}

/** The JSON of a request that must carry one: type and encoding checked, size bounded, then parsed. */
export function jsonBody(event: Event): JsonBody {
  // Behind API Gateway an event this large never reaches a function (Lambda refuses it first); any other caller that
  // builds such an event gets the answer AWS's limit implies, without decoding it.
  if ((event.body?.length ?? 0) > LAMBDA_PAYLOAD_BYTES) throw tooLarge();
  const wire = wireBytes(event);
  if (wire.byteLength === 0) {
    throw badRequest('Corpo della richiesta mancante: atteso un documento JSON.', [], 'INVALID_JSON');
  }
  const contentType = headerValue(event, 'content-type');
  if (contentType === undefined || !isJsonContentType(contentType)) throw unsupportedMediaType();
  const encoding = (headerValue(event, 'content-encoding') ?? 'identity').trim().toLowerCase();
  let bytes: Buffer;
  if (encoding === 'gzip') bytes = gunzipBounded(wire);
  else if (encoding === 'identity') bytes = wire;
  else throw unsupportedMediaType('Codifica del contenuto non supportata: usare gzip o nessuna codifica.');
  if (bytes.byteLength > MAX_JSON_BYTES) throw tooLarge();
  const text = bytes.toString('utf8');
  const deep = deepNestingAt(text);
  if (deep !== -1) {
    throw badRequest(
      `JSON annidato troppo in profondità: nessun corpo di questa API supera ${MAX_JSON_DEPTH} livelli (rendicontazione, fogli, righe, celle).`,
      [{ path: '(radice)', message: `Oltre ${MAX_JSON_DEPTH} livelli di oggetti o elenchi al carattere ${deep + 1}.` }],
      'INVALID_JSON',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('Il corpo della richiesta non è un JSON valido.', [], 'INVALID_JSON');
  }
  const issue = wireJsonIssue(value, text);
  if (issue) throw badRequest(`Valore non ammesso in ${issue.path}: ${issue.message}`, [issue], 'INVALID_JSON');
  return { text, value };
}
