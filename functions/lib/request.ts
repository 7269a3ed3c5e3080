import { gzipSync } from 'node:zlib';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ATS_CODE, PERIOD } from '../../shared/contract/codes.ts';
import { badRequest, errorResponse, HttpError, internalError, storeUnavailable } from './http.ts';
import { responseOverLimits } from './lambda-limits.ts';
import { logger } from './logger.ts';
import { isStoreUnavailable } from './store-faults.ts';

export type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
export type Result = APIGatewayProxyStructuredResultV2;

const REGION_CODE = /^\d{2}$/;

// The request body rules (content type, gzip, 5 MB) live in body.ts; handlers import them from here as before.
export { type JsonBody, jsonBody } from './body.ts';

export function header(event: Event, name: string): string | undefined {
  const headers = event.headers ?? {};
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** A path parameter, decoded by API Gateway; a missing one is the caller's error, not ours. */
function pathParameter(event: Event, name: string): string {
  const value = event.pathParameters?.[name];
  if (value === undefined || value === '') throw badRequest(`Parametro "${name}" mancante nel percorso.`);
  return value;
}

export function atsParameter(event: Event): string {
  const ats = pathParameter(event, 'ats');
  if (!ATS_CODE.test(ats)) {
    throw badRequest(`Codice Ambito non valido nel percorso: atteso ATS-RR-NNN (es. ATS-16-002).`, [
      { path: 'ats', message: 'Formato atteso ATS-RR-NNN.' },
    ]);
  }
  return ats;
}

export function periodValue(value: string | undefined, where: string): string {
  if (value === undefined || value === '') throw badRequest(`Indicare il periodo (${where}).`);
  if (!PERIOD.test(value)) {
    throw badRequest('Periodo non valido: atteso AAAA-12-31 (annuale) o AAAA-08-31 (intermedio).', [
      { path: where, message: 'Formato atteso AAAA-12-31 o AAAA-08-31.' },
    ]);
  }
  return value;
}

export function periodParameter(event: Event): string {
  return periodValue(pathParameter(event, 'period'), 'period');
}

export function regionParameter(event: Event): string {
  const region = pathParameter(event, 'region');
  if (!REGION_CODE.test(region)) {
    throw badRequest('Codice Regione non valido nel percorso: attese 2 cifre (es. 05).', [
      { path: 'region', message: 'Formato atteso: 2 cifre.' },
    ]);
  }
  return region;
}

/** Above this a JSON body is gzipped for clients that accept it: Lambda's response limit is 6 MB, base64 included. */
const COMPRESS_ABOVE_BYTES = 256 * 1024;

/**
 * A Region's consolidated rows can reach several MB of JSON, close to Lambda's 6 MB response limit; gzip shrinks them
 * about tenfold. Browsers and fetch decompress transparently.
 */
export function compressIfLarge(event: Event, result: Result): Result {
  const body = result.body;
  if (result.isBase64Encoded || typeof body !== 'string' || body.length < COMPRESS_ABOVE_BYTES) return result;
  if (!/\bgzip\b/i.test(header(event, 'accept-encoding') ?? '')) return result;
  return {
    ...result,
    isBase64Encoded: true,
    headers: { ...result.headers, 'content-encoding': 'gzip', vary: 'accept-encoding' },
    body: gzipSync(Buffer.from(body, 'utf8')).toString('base64'),
  };
}

/**
 * Wraps a handler body: every HttpError becomes the contract's error JSON; anything else is our fault, logged with
 * its class and stack (never the request's content) and answered with a generic 500 that names the request id.
 */
export function route(name: string, body: (event: Event) => Promise<Result>): (event: Event) => Promise<Result> {
  return async (event) => {
    const requestId = event.requestContext?.requestId ?? 'sconosciuto';
    const started = performance.now();
    logger.appendKeys({ requestId, route: name });
    try {
      const answer = await body(event);
      // Contract v1.1: no response over 5 MB before compression, none that Lambda's 6 MB result would refuse. Every
      // route is designed to stay under both; one that does not is our bug, answered here with the contract's 500
      // (and its request id) rather than left to AWS's opaque one or hidden by gzip for the clients that ask for it.
      const over = responseOverLimits(answer);
      if (over) {
        logger.error('risposta oltre i limiti', { statusCode: answer.statusCode, ...over });
        return errorResponse(internalError(), requestId);
      }
      const result = compressIfLarge(event, answer);
      logger.info('richiesta servita', { statusCode: result.statusCode, ms: Math.round(performance.now() - started) });
      return result;
    } catch (error) {
      if (error instanceof HttpError) {
        logger.info('richiesta rifiutata', {
          statusCode: error.statusCode,
          code: error.code,
          ms: Math.round(performance.now() - started),
        });
        return errorResponse(error);
      }
      if (isStoreUnavailable(error)) {
        logger.warn('archivio non raggiungibile', { errorName: (error as Error).name });
        return errorResponse(storeUnavailable(), requestId);
      }
      logger.error('errore interno', {
        errorName: error instanceof Error ? error.name : typeof error,
        stack: error instanceof Error ? error.stack : undefined,
      });
      return errorResponse(internalError(), requestId);
    } finally {
      logger.resetKeys();
    }
  };
}
