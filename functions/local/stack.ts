import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { devTokenRequestSchema } from '../../shared/contract/api.ts';
import { toSchemaIssues } from '../../shared/contract/submission.ts';
import { syntheticRegion } from '../../shared/demo/ats.ts';
import { DEMO_PERIOD, demoNow, generateSubmission } from '../../shared/demo/generate.ts';
import { defaultDeps, resetDefaultDeps } from '../core/deps.ts';
import { putSubmission } from '../core/submissions.ts';
import { badRequest, errorResponse, HttpError, internalError, notFound, tooLarge, unauthorized } from '../lib/http.ts';
import { logger } from '../lib/logger.ts';
import { loadComuni } from '../lib/reference-data.ts';
import type { Event } from '../lib/request.ts';
import { MAX_BODY_BYTES } from '../lib/request.ts';
import { ROUTES, type RouteDef } from '../routes.ts';
import { resetDynamoDbClient, tableName } from '../store/client.ts';
import { DynamoStore } from '../store/dynamo.ts';
import { devCertificate } from './certificate.ts';
import { ensureTable, type LocalDynamoDb, localCredentials, startDynamoDbLocal } from './dynamodb.ts';
import { serveStatic } from './static-files.ts';
import { authorizerClaims, type TokenClaims, type TokenService, tokenService } from './tokens.ts';

/**
 * The whole backend on this machine: DynamoDB Local, and an HTTPS server that turns each request into the API
 * Gateway event the deployed Lambda would receive and calls the very same handler module. Only what API Gateway does
 * in AWS (routing, the JWT authorizer, the payload limit) is done here.
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
  /** No request logs. */
  quiet?: boolean;
}

export interface LocalStack {
  url: string;
  caCertPath: string;
  token(claims: { sub: string; groups: string[]; ats?: string; region?: string }): Promise<string>;
  /** DynamoDB Local's Java process, so the benchmark can read its CPU time beside the API's. */
  dynamoDbLocalPid: number | undefined;
  stop(): Promise<void>;
}

type Handler = (event: Event) => Promise<APIGatewayProxyStructuredResultV2>;

interface CompiledRoute {
  readonly def: RouteDef;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: Handler;
}

async function compileRoutes(): Promise<CompiledRoute[]> {
  return Promise.all(
    ROUTES.map(async (def) => {
      const names: string[] = [];
      const source = def.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_match, name: string) => {
        names.push(name);
        return '([^/]+)';
      });
      const module = (await import(`../handlers/${def.id}.ts`)) as { handler: Handler };
      return { def, pattern: new RegExp(`^${source}$`), names, handler: module.handler };
    }),
  );
}

class BodyTooLarge extends Error {}

/** Reads the whole body; past the limit it keeps draining (so the client can read the 413) but stops buffering. */
async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.byteLength;
    if (size > 16 * MAX_BODY_BYTES) request.destroy();
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  const body = result.body ?? '';
  const data = result.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  response.writeHead(result.statusCode ?? 200, { ...headers, 'content-length': String(data.byteLength) });
  response.end(data);
}

function sendError(response: ServerResponse, error: HttpError): void {
  send(response, errorResponse(error));
}

function singleValues(params: URLSearchParams): Record<string, string> | undefined {
  const result: Record<string, string> = {};
  for (const key of new Set(params.keys())) result[key] = params.getAll(key).join(',');
  return Object.keys(result).length > 0 ? result : undefined;
}

function flatHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (Array.isArray(value)) headers[name] = value.join(',');
    else if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

function buildEvent(
  request: IncomingMessage,
  url: URL,
  route: CompiledRoute,
  pathParameters: Record<string, string>,
  body: Buffer,
  claims: Record<string, string | number | boolean | string[]> | undefined,
): Event {
  const now = new Date();
  const requestId = randomUUID();
  const method = request.method ?? 'GET';
  return {
    version: '2.0',
    routeKey: `${route.def.method} ${route.def.path}`,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: flatHeaders(request),
    queryStringParameters: singleValues(url.searchParams),
    pathParameters,
    body: body.byteLength > 0 ? body.toString('utf8') : undefined,
    isBase64Encoded: false,
    stageVariables: undefined,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.hostname,
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: `${route.def.method} ${route.def.path}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: claims ?? {}, scopes: [] } },
    },
  } as Event;
}

function match(routes: readonly CompiledRoute[], method: string, pathname: string) {
  for (const route of routes) {
    if (route.def.method !== method) continue;
    const found = route.pattern.exec(pathname);
    if (!found) continue;
    const parameters: Record<string, string> = {};
    route.names.forEach((name, index) => {
      parameters[name] = decodeURIComponent(found[index + 1] ?? '');
    });
    return { route, parameters };
  }
  return undefined;
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

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir ?? join(REPO_ROOT, '.data'));
  mkdirSync(dataDir, { recursive: true });
  if (options.quiet) logger.setLogLevel('SILENT');

  // Everything that can fail without side effects first, so a failed start leaves no Java process behind.
  const certificate = devCertificate(dataDir);
  const tokens: TokenService = await tokenService(dataDir);
  const routes = await compileRoutes();
  const dynamo: LocalDynamoDb = await startDynamoDbLocal(dataDir);
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
    await dynamo.stop();
    throw error;
  }

  const server: Server = createServer({ cert: certificate.cert, key: certificate.key }, (request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) sendError(response, internalError());
      else response.destroy();
    });
  });

  // Malformed HTTP never reaches a handler; it still gets the contract's error JSON rather than Node's bare 400.
  server.on('clientError', (_error, socket) => {
    if (!socket.writable) return socket.destroy();
    const body = JSON.stringify({ error: { code: 'BAD_REQUEST', message: 'Richiesta HTTP non valida.' } });
    socket.end(
      `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'https://localhost');
    } catch {
      request.resume();
      return sendError(response, badRequest('Indirizzo della richiesta non valido.'));
    }
    const method = request.method ?? 'GET';
    let body: Buffer;
    try {
      body = await readBody(request);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        sendError(response, tooLarge());
        return;
      }
      throw error;
    }

    if (url.pathname === '/dev/token' && method === 'POST') return devToken(response, body);
    if (url.pathname === '/v1' || url.pathname.startsWith('/v1/')) return api(request, response, url, method, body);
    if (method === 'GET' || method === 'HEAD') {
      const file = await serveStatic(REPO_ROOT, url.pathname);
      if (file) {
        response.writeHead(file.status, { 'content-type': file.type, 'cache-control': 'no-store' });
        response.end(method === 'HEAD' ? undefined : file.body);
        return;
      }
    }
    sendError(response, notFound('Risorsa non trovata.'));
  }

  async function devToken(response: ServerResponse, body: Buffer): Promise<void> {
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      return sendError(response, badRequest('Il corpo della richiesta non è un JSON valido.', [], 'INVALID_JSON'));
    }
    const parsed = devTokenRequestSchema.safeParse(value);
    if (!parsed.success) {
      return sendError(response, badRequest('Richiesta di token non valida.', toSchemaIssues(parsed.error), 'SCHEMA'));
    }
    const claims = parsed.data;
    if (claims.groups.includes('ats-operator') && !claims.ats) {
      return sendError(response, badRequest('Un operatore (ats-operator) deve indicare il suo Ambito (ats).'));
    }
    if (claims.groups.includes('region-reviewer') && !claims.region) {
      return sendError(response, badRequest('Un revisore (region-reviewer) deve indicare la sua Regione (region).'));
    }
    send(response, {
      statusCode: 200,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
      body: JSON.stringify({ token: await tokens.sign(claims) }),
    });
  }

  async function api(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    method: string,
    body: Buffer,
  ): Promise<void> {
    let found: ReturnType<typeof match>;
    try {
      found = match(routes, method, url.pathname);
    } catch {
      return sendError(response, badRequest('Indirizzo della richiesta non valido.'));
    }
    if (!found) return sendError(response, notFound('Risorsa o metodo non previsti dall\u2019API.'));
    let claims: ReturnType<typeof authorizerClaims> | undefined;
    if (found.route.def.authorized) {
      const authorization = request.headers.authorization ?? '';
      const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      const payload = token ? await tokens.verify(token) : undefined;
      if (!payload) return sendError(response, unauthorized());
      claims = authorizerClaims(payload);
    }
    const event = buildEvent(request, url, found.route, found.parameters, body, claims);
    send(response, await found.route.handler(event));
  }

  const requested = options.port ?? Number(process.env.PORT ?? 3000);
  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once('error', reject);
      server.listen(requested, 'localhost', () => resolveListen());
    });
  } catch (error) {
    // Nothing may outlive a failed start: DynamoDB Local is a separate Java process.
    await dynamo.stop();
    const busy = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    throw new Error(busy ? `La porta ${requested} è già in uso: indicarne un'altra con PORT.` : String(error));
  }
  const port = (server.address() as AddressInfo).port;

  let stopped = false;
  return {
    url: `https://localhost:${port}`,
    caCertPath: certificate.certPath,
    token: (claims) => tokens.sign(claims),
    dynamoDbLocalPid: dynamo.process.pid,
    async stop() {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        server.closeAllConnections();
      });
      resetDynamoDbClient();
      resetDefaultDeps();
      await dynamo.stop();
    },
  };
}
