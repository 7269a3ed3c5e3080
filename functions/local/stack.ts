import { mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { devTokenRequestSchema } from '../../shared/contract/api.ts';
import { API_CORS } from '../../shared/contract/cors.ts';
import { toSchemaIssues } from '../../shared/contract/submission.ts';
import { syntheticRegion } from '../../shared/demo/ats.ts';
import { DEMO_PERIOD, demoNow, generateSubmission } from '../../shared/demo/generate.ts';
import { defaultDeps, resetDefaultDeps } from '../core/deps.ts';
import { putSubmission } from '../core/submissions.ts';
import { badRequest, errorResponse, HttpError, internalError, notFound } from '../lib/http.ts';
import { logger } from '../lib/logger.ts';
import { loadComuni } from '../lib/reference-data.ts';
import { matchRoute } from '../lib/route-match.ts';
import { CATCH_ALL_ROUTE, DEFAULT_ROUTE_KEY, routeKey } from '../routes.ts';
import { resetDynamoDbClient, tableName } from '../store/client.ts';
import { DynamoStore } from '../store/dynamo.ts';
import { devCertificate } from './certificate.ts';
import { type CorsPolicy, corsResponseHeaders, isPreflight, preflightHeaders } from './cors.ts';
import { ensureTable, type LocalDynamoDb, localCredentials, startDynamoDbLocal } from './dynamodb.ts';
import {
  AWS_ANSWERS,
  awsAnswer,
  bearerToken,
  buildEvent,
  exceedsLambdaPayload,
  RequestTooLarge,
  readBody,
  unauthorizedAnswer,
} from './gateway.ts';
import { defaultHandlerThreads, type HandlerPool, startHandlerPool } from './handler-pool.ts';
import { localHostedUi, serveAddinConfig } from './hosted-ui.ts';
import { serveStatic } from './static-files.ts';
import { authorizerClaims, type TokenClaims, type TokenService, tokenService } from './tokens.ts';

/**
 * The whole backend on this machine: DynamoDB Local, and two HTTPS origins as in AWS. The add-in's origin (CloudFront's
 * role) serves its files; the API's origin (API Gateway's role) turns each request into the event the deployed Lambda
 * would receive and calls the very same handler module, in a worker thread as Lambda runs it in an execution
 * environment of its own (handler-pool.ts), so that a request busy validating never holds up another. Only what API
 * Gateway and Lambda do in AWS (CORS, routing, the JWT authorizer, the payload limits) is done here, and as strictly.
 */

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEMO_REGION = '05';
export const DEMO_USERS: ReadonlyArray<TokenClaims & { readonly description: string }> = [
  {
    sub: 'operatore-demo',
    groups: ['ats-operator'],
    ats: 'ATS-05-001',
    description: 'operatore dell\u2019Ambito ATS-05-001',
  },
  {
    sub: 'revisore-demo',
    groups: ['region-reviewer'],
    region: DEMO_REGION,
    description: 'revisore della Regione 05 (Veneto)',
  },
  { sub: 'admin-demo', groups: ['national-admin'], description: 'amministratore nazionale' },
];

export interface LocalStackOptions {
  /** 0 picks a free port. Default: PORT or 3000. */
  port?: number;
  /** Default: <repo>/.data */
  dataDir?: string;
  /** Registers the demo Region's synthetic ATS when they are not there yet. Default true. */
  seed?: boolean;
  /** How long after DynamoDB Local dies the stack starts it again (functions/local/dynamodb.ts). Default 1 s. */
  storeRestartDelayMs?: number;
  /** No request logs. */
  quiet?: boolean;
  /** How many worker threads run the functions (handler-pool.ts). Default: the machine's cores, at least 2. */
  handlerThreads?: number;
  /** Sees every request the API origin receives, preflights included (tests check what browsers really sent). */
  observeApi?: (request: { method: string; path: string; headers: IncomingMessage['headers'] }) => void;
}

export interface LocalStack {
  /** The add-in's origin (CloudFront's role in AWS): the add-in's files and the local sign-in page. */
  url: string;
  /** The API's origin (API Gateway's role): /v1 and /dev/token, cross-origin from `url`, at its port + 1. */
  apiUrl: string;
  caCertPath: string;
  token(claims: { sub: string; groups: string[]; ats?: string; region?: string }): Promise<string>;
  /**
   * DynamoDB Local's Java process now (a new one after the stack restarted it), so the benchmark can read its CPU time
   * beside the API's and tests can stop it.
   */
  readonly dynamoDbLocalPid: number | undefined;
  stop(): Promise<void>;
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const body = result.body ?? '';
  const data = result.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  response.writeHead(result.statusCode ?? 200, {
    ...stringHeaders(result.headers),
    'content-length': String(data.byteLength),
  });
  response.end(data);
}

function stringHeaders(headers: APIGatewayProxyStructuredResultV2['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) result[name] = String(value);
  return result;
}

function sendError(response: ServerResponse, error: HttpError): void {
  send(response, errorResponse(error));
}

/**
 * The demo Region: Veneto's synthetic ATS registered and, except the demo operator's own ATS (left for a first
 * submission), a synthetic annual return each, stored through the same code path as a real PUT. Runs once per data
 * folder: an existing registration means it ran before.
 */
async function seedDemo(): Promise<{ registered: number; submitted: number }> {
  const store = new DynamoStore();
  const existing = await store.listRegistrations(DEMO_REGION);
  if (existing.length > 0) return { registered: 0, submitted: 0 };
  const comuni = loadComuni();
  const registered = syntheticRegion(DEMO_REGION, comuni);
  for (const entry of registered) await store.putRegistration(DEMO_REGION, entry, 'seed');
  const deps = { ...defaultDeps(), now: () => demoNow(DEMO_PERIOD) };
  let submitted = 0;
  for (const entry of registered) {
    if (entry.ats === DEMO_USERS[0]?.ats) continue;
    const submission = generateSubmission({
      ats: entry,
      regionCode: DEMO_REGION,
      comuni,
      period: DEMO_PERIOD,
      seed: 1,
    });
    try {
      await putSubmission(deps, {
        caller: { sub: 'seed', groups: ['ats-operator'], ats: entry.ats, region: null },
        ats: entry.ats,
        period: DEMO_PERIOD,
        body: { text: '', value: submission },
        idempotencyKey: `seed-${entry.ats}-${DEMO_PERIOD}`,
        ifMatch: undefined,
        clientVersion: 'seed',
      });
      submitted++;
    } catch (error) {
      // A synthetic return the checks refuse is left out of the demo, not a reason to stop the stack.
      if (!(error instanceof HttpError)) throw error;
    }
  }
  return { registered: registered.length, submitted };
}

/** Resolves once `server` listens on `port` (0: any free port), or rejects with the listen error. */
function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolveListen, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, 'localhost', () => {
      server.off('error', onError);
      resolveListen((server.address() as AddressInfo).port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    if (!server.listening) return resolveClose();
    server.close(() => resolveClose());
    server.closeAllConnections();
  });
}

/**
 * The add-in on `port`, the API on `port + 1` (contract.md, "Local stack"): the local add-in finds its API by that
 * rule (addin/app/config.ts). With port 0 a free pair is searched, so tests keep the same rule.
 */
async function listenPair(addin: Server, api: Server, requested: number): Promise<{ addin: number; api: number }> {
  if (requested !== 0) {
    for (const [server, port] of [
      [addin, requested],
      [api, requested + 1],
    ] as const) {
      try {
        await listen(server, port);
      } catch (error) {
        await close(addin);
        const busy = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
        throw new Error(busy ? `La porta ${port} è già in uso: indicarne un'altra con PORT.` : String(error));
      }
    }
    return { addin: requested, api: requested + 1 };
  }
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await listen(addin, 0);
    if (port < 65535) {
      try {
        await listen(api, port + 1);
        return { addin: port, api: port + 1 };
      } catch {
        // The next port is taken: try another pair.
      }
    }
    await close(addin);
  }
  throw new Error('Nessuna coppia di porte libere consecutive trovata.');
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir ?? join(REPO_ROOT, '.data'));
  mkdirSync(dataDir, { recursive: true });
  if (options.quiet) logger.setLogLevel('SILENT');

  // Everything that can fail without side effects first, so a failed start leaves no Java process behind.
  const certificate = devCertificate(dataDir);
  const tokens: TokenService = await tokenService(dataDir);
  // Cognito's hosted UI for `rendiconta accedi` (hosted-ui.ts), on the API's origin.
  const hostedUi = localHostedUi(tokens);
  // Threads share this process's environment (SHARE_ENV): they see the DynamoDB endpoint set below.
  const handlers: HandlerPool = await startHandlerPool({
    size: options.handlerThreads ?? defaultHandlerThreads(),
    quiet: options.quiet ?? false,
  });
  let dynamo: LocalDynamoDb;
  try {
    dynamo = await startDynamoDbLocal(
      dataDir,
      options.storeRestartDelayMs === undefined ? {} : { restartDelayMs: options.storeRestartDelayMs },
    );
  } catch (error) {
    await handlers.close();
    throw error;
  }
  try {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamo.endpoint;
    process.env.AWS_REGION ??= 'eu-south-1';
    process.env.AWS_ACCESS_KEY_ID ??= localCredentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY ??= localCredentials.secretAccessKey;
    resetDynamoDbClient();
    resetDefaultDeps();
    await ensureTable(dynamo.endpoint, tableName());
    if (options.seed ?? true) await seedDemo();
  } catch (error) {
    await Promise.all([dynamo.stop(), handlers.close()]);
    throw error;
  }

  const tls = { cert: certificate.cert, key: certificate.key };
  // CloudFront's role: the add-in's files and the local sign-in page. No API here, as in AWS.
  const addinServer: Server = createServer(tls, (request, response) => {
    serveAddin(request, response).catch(() => {
      if (!response.headersSent) sendError(response, internalError());
      else response.destroy();
    });
  });
  // API Gateway's role: CORS, the JWT check, the Lambda payload limits, then the handler.
  const apiServer: Server = createServer(tls, (request, response) => {
    handleApi(request, response).catch(() => {
      if (!response.headersSent) sendError(response, internalError());
      else response.destroy();
    });
  });

  // Malformed HTTP never reaches a handler; it still gets the contract's error JSON rather than Node's bare 400.
  for (const server of [addinServer, apiServer]) {
    server.on('clientError', (_error, socket) => {
      if (!socket.writable) return socket.destroy();
      const body = JSON.stringify({ error: { code: 'BAD_REQUEST', message: 'Richiesta HTTP non valida.' } });
      socket.end(
        `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    });
  }

  // Set once both ports are known; requests cannot arrive before.
  let cors: CorsPolicy = { definition: API_CORS, allowOrigins: [] };

  async function serveAddin(request: IncomingMessage, response: ServerResponse): Promise<void> {
    request.resume();
    const method = request.method ?? 'GET';
    let pathname: string;
    try {
      pathname = new URL(request.url ?? '/', 'https://localhost').pathname;
    } catch {
      return sendError(response, badRequest('Indirizzo della richiesta non valido.'));
    }
    // What CloudFront serves beside the add-in in AWS, for `rendiconta accedi --addin` (hosted-ui.ts).
    if (method === 'GET' && pathname === '/config.json') return serveAddinConfig(request, response);
    if (method === 'GET' || method === 'HEAD') {
      const file = await serveStatic(REPO_ROOT, pathname);
      if (file) {
        response.writeHead(file.status, { 'content-type': file.type, 'cache-control': 'no-store' });
        response.end(method === 'HEAD' ? undefined : file.body);
        return;
      }
    }
    sendError(response, notFound('Risorsa non trovata.'));
  }

  async function handleApi(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET';
    options.observeApi?.({ method, path: request.url ?? '/', headers: request.headers });
    if (isPreflight(method, request.headers)) {
      request.resume();
      response.writeHead(204, preflightHeaders(cors, request.headers));
      response.end();
      return;
    }
    const reply = (result: APIGatewayProxyStructuredResultV2) =>
      send(response, { ...result, headers: corsResponseHeaders(cors, request.headers, stringHeaders(result.headers)) });
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'https://localhost');
    } catch {
      request.resume();
      return reply(errorResponse(badRequest('Indirizzo della richiesta non valido.')));
    }
    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      if (error instanceof RequestTooLarge) return reply(awsAnswer(AWS_ANSWERS.requestTooLarge));
      throw error;
    }
    if (await hostedUi.handle(request, response, url, body)) return;
    if (url.pathname === '/dev/token' && method === 'POST') return reply(await devToken(body));
    // Every other request is API Gateway's: a route of functions/routes.ts, or the `$default` route.
    reply(await api(request, url, method, body));
  }

  async function devToken(body: Buffer): Promise<APIGatewayProxyStructuredResultV2> {
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      return errorResponse(badRequest('Il corpo della richiesta non è un JSON valido.', [], 'INVALID_JSON'));
    }
    const parsed = devTokenRequestSchema.safeParse(value);
    if (!parsed.success) {
      return errorResponse(badRequest('Richiesta di token non valida.', toSchemaIssues(parsed.error), 'SCHEMA'));
    }
    const claims = parsed.data;
    if (claims.groups.includes('ats-operator') && !claims.ats) {
      return errorResponse(badRequest('Un operatore (ats-operator) deve indicare il suo Ambito (ats).'));
    }
    if (claims.groups.includes('region-reviewer') && !claims.region) {
      return errorResponse(badRequest('Un revisore (region-reviewer) deve indicare la sua Regione (region).'));
    }
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: JSON.stringify({ token: await tokens.sign(claims) }),
    };
  }

  /**
   * API Gateway's routing and JWT authorizer, then the function. A request no path route matches goes to the
   * `$default` route (functions/routes.ts), as in AWS: the contract's Italian 404 or 405, never API Gateway's English.
   * A route with the authorizer and no valid token gets the authorizer's own answer (gateway.ts), not our contract's.
   */
  async function api(
    request: IncomingMessage,
    url: URL,
    method: string,
    body: Buffer,
  ): Promise<APIGatewayProxyStructuredResultV2> {
    let found: ReturnType<typeof matchRoute>;
    try {
      found = matchRoute(method, url.pathname);
    } catch {
      return errorResponse(badRequest('Indirizzo della richiesta non valido.'));
    }
    let claims: ReturnType<typeof authorizerClaims> | undefined;
    if (found?.route.authorized) {
      const token = bearerToken(request.headers.authorization);
      if (token === undefined) return unauthorizedAnswer();
      const payload = await tokens.verify(token);
      if (!payload) return unauthorizedAnswer('invalid_token');
      claims = authorizerClaims(payload);
    }
    const def = found?.route ?? CATCH_ALL_ROUTE;
    const event = buildEvent({
      request,
      url,
      routeKey: found ? routeKey(found.route) : DEFAULT_ROUTE_KEY,
      pathParameters: found?.parameters,
      body,
      claims,
    });
    // Lambda refuses an event or a result over 6 MB; API Gateway then answers its own 500 (gateway.ts).
    if (exceedsLambdaPayload(event)) return awsAnswer(AWS_ANSWERS.lambdaPayloadTooLarge);
    const result = await handlers.invoke(def.id, event);
    if (exceedsLambdaPayload(result)) return awsAnswer(AWS_ANSWERS.lambdaPayloadTooLarge);
    return result;
  }

  const requested = options.port ?? Number(process.env.PORT ?? 3000);
  let ports: { addin: number; api: number };
  try {
    ports = await listenPair(addinServer, apiServer, requested);
  } catch (error) {
    // Nothing may outlive a failed start: DynamoDB Local is a separate Java process.
    await Promise.all([dynamo.stop(), handlers.close()]);
    throw error;
  }
  const url = `https://localhost:${ports.addin}`;
  cors = { definition: API_CORS, allowOrigins: [url] };

  let stopped = false;
  return {
    url,
    apiUrl: `https://localhost:${ports.api}`,
    caCertPath: certificate.certPath,
    token: (claims) => tokens.sign(claims),
    get dynamoDbLocalPid() {
      return dynamo.process.pid;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all([close(addinServer), close(apiServer)]);
      await handlers.close();
      resetDynamoDbClient();
      resetDefaultDeps();
      await dynamo.stop();
    },
  };
}
