import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tokenizer, tokTypes } from 'acorn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable, localCredentials, startDynamoDbLocal } from '../../functions/local/dynamodb.ts';
import { ROUTES, type RouteDef, routeKey } from '../../functions/routes.ts';
import { RUNTIME_ONLY_SDK_MODULES } from '../../infra/bundling.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { COMMAND_ACTIONS, deriveTableAccess } from '../../infra/table-access.ts';
import { LEPS_ATS } from '../../shared/template/leps-ats.ts';
import { validSubmission } from '../support/builders.ts';
import { type RouteCall, routeEvent } from './route-events.ts';
import { type Synthesized, synth } from './support.ts';

/** One synthesis with real esbuild bundling: what `cdk deploy` uploads for each function. */
let synthesized: Synthesized;

beforeAll(() => {
  synthesized = synth({ bundle: true });
}, 180_000);
afterAll(() => synthesized.cleanup());

/** The synthesized function of a route: its code asset and its environment. */
function functionOf(route: RouteDef): { Code: { S3Key: string }; Environment?: { Variables?: object } } {
  const functions = synthesized.template.findResources('AWS::Lambda::Function', {
    Properties: { Description: `Rendiconta LEPS ${routeKey(route)}` },
  });
  const [fn] = Object.values(functions) as Array<{ Properties: ReturnType<typeof functionOf> }>;
  if (!fn) throw new Error(`no function for ${route.id}`);
  return fn.Properties;
}

function bundleDir(route: RouteDef): string {
  return join(synthesized.outdir, `asset.${functionOf(route).Code.S3Key.replace(/\.zip$/, '')}`);
}

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number; body?: string }>;

function routeOf(id: string): RouteDef {
  const route = ROUTES.find((candidate) => candidate.id === id);
  if (!route) throw new Error(`no route ${id}`);
  return route;
}

/**
 * The handler of a route's deployed bundle. Each `instance` is a module instance of its own, with its own DynamoDB
 * client: a client keeps the endpoint it was made with.
 */
async function bundledHandler(route: RouteDef, instance = 'first'): Promise<Handler> {
  const module: { handler: Handler } = await import(
    `${pathToFileURL(join(bundleDir(route), 'index.mjs')).href}?instance=${instance}`
  );
  return module.handler;
}

/**
 * Runs `body` with these variables set, then puts back what was there. It changes process.env in place, as Lambda's
 * environment is one object: the bundles read `env` from the object that was there when they were imported
 * (functions/lib/process-global.ts).
 */
async function withEnvironment<T>(variables: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
  Object.assign(process.env, variables);
  try {
    return await body();
  } finally {
    for (const [name, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

/**
 * The DynamoDB command modules whose code is in a bundle, read from its source map (`sources` lists every input that
 * left code in the output; the SDK is bundled and tree-shaken, so a command nobody constructs is not there), and the
 * ones the SDK keeps there without our code sending them: the client's endpoint discovery command (off unless
 * enabled), and the commands of lib-dynamodb's paginators (paginateQuery, paginateScan), which are defined by calls at
 * the top of their modules that esbuild cannot drop.
 */
function bundledCommands(dir: string): { lib: string[]; client: string[]; residents: string[] } {
  const map: { sources: string[] } = JSON.parse(readFileSync(join(dir, 'index.mjs.map'), 'utf8'));
  const of = (pattern: RegExp) =>
    map.sources
      .map((source) => source.match(pattern)?.[1])
      .filter((name): name is string => name !== undefined)
      .sort();
  const paginated = of(/@aws-sdk\/(?:lib|client)-dynamodb\/dist-es\/pagination\/(\w+)Paginator\.js$/);
  return {
    lib: of(/@aws-sdk\/lib-dynamodb\/dist-es\/commands\/(\w+Command)\.js$/),
    client: of(/@aws-sdk\/client-dynamodb\/dist-es\/commands\/(\w+Command)\.js$/),
    residents: ['DescribeEndpointsCommand', ...paginated.map((operation) => `${operation}Command`)],
  };
}

describe('Lambda bundles', () => {
  it.each(ROUTES.map((route) => [route.id, route] as const))(
    '%s is a minified ESM bundle with a source map',
    (_, route) => {
      const dir = bundleDir(route);
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code.startsWith("import { createRequire } from 'node:module';")).toBe(true);
      expect(existsSync(join(dir, 'index.mjs.map'))).toBe(true);
      expect(code).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      // ASCII only, so V8 keeps the source one-byte (infra/bundling.ts, BUNDLE_CHARSET).
      expect([...code].filter((character) => character.charCodeAt(0) > 0x7f)).toEqual([]);
      // No arrow function: V8 would parse each in full at import (infra/bundling.ts, LOWERED_SYNTAX).
      const arrows = [...tokenizer(code, { ecmaVersion: 'latest', sourceType: 'module' })].filter(
        (token) => token.type === tokTypes.arrow,
      );
      expect(arrows.length, route.id).toBe(0);
      // The SDK is bundled: nothing is imported but Node's own modules, and the only dynamic imports left are the
      // credential providers Lambda never loads (infra/bundling.ts).
      const staticImports = [...code.matchAll(/(?:^|[;}\s])import\s*[^("'`;]*?from\s*["']([^"']+)["']/g)].map(
        (match) => match[1] ?? '',
      );
      expect(staticImports.filter((name) => !name.startsWith('node:') && !builtinModules.includes(name))).toEqual([]);
      // node:process comes from the global (functions/lib/process-global.ts): its ESM namespace opens stdin at import.
      expect(staticImports.filter((name) => name === 'node:process' || name === 'process')).toEqual([]);
      const dynamicImports = [...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1] ?? '');
      for (const name of dynamicImports) {
        if (!name.startsWith('node:') && !builtinModules.includes(name))
          expect(RUNTIME_ONLY_SDK_MODULES, `${route.id}: ${name}`).toContain(name);
      }
    },
  );

  it.each(ROUTES.map((route) => [route.id, route] as const))(
    '%s carries the ISTAT list only if it reads it',
    (_, route) => {
      const dir = bundleDir(route);
      if (route.needsReferenceData) {
        expect(readdirSync(join(dir, 'reference')).sort()).toEqual(['ATTRIBUTION.md', 'comuni_italia_2025.csv']);
        const source = join(REPO_ROOT, 'shared', 'reference', 'data', 'comuni_italia_2025.csv');
        expect(readFileSync(join(dir, 'reference', 'comuni_italia_2025.csv')).equals(readFileSync(source))).toBe(true);
      } else {
        expect(existsSync(join(dir, 'reference'))).toBe(false);
      }
    },
  );

  it('agrees with the derivation: the deployed bundle holds the commands derived, and sends no other', () => {
    for (const route of ROUTES) {
      const derived = deriveTableAccess(route.id);
      const { lib, client, residents } = bundledCommands(bundleDir(route));
      if (derived.actions.length === 0) {
        // A route whose code sends nothing carries no DynamoDB client at all.
        expect([...lib, ...client], route.id).toEqual([]);
        continue;
      }
      // Every derived command is in the bundle: the derivation invents nothing.
      for (const command of derived.commands) expect([...lib, ...client], route.id).toContain(command);
      // Every command in the bundle is derived, or one the SDK keeps without our code sending it; each document
      // client command wraps one low-level command of the same operation.
      const extra = lib.filter((command) => !derived.commands.includes(command) && !residents.includes(command));
      expect(extra, route.id).toEqual([]);
      for (const command of client) {
        if (residents.includes(command) || derived.commands.includes(command)) continue;
        const needed = COMMAND_ACTIONS[command];
        expect(needed, `${route.id}: ${command} is in the bundle but not derived`).toBeDefined();
        for (const action of needed ?? []) expect(derived.actions, `${route.id}: ${command}`).toContain(action);
      }
    }
  });

  it('runs: the bundled health handler reports an unreachable store and the bundled validate handler rejects bad JSON with 400', async () => {
    // No table here: the bundled health function probes one that refuses connections and says the store is down.
    const unreachable = {
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
      AWS_REGION: 'eu-south-1',
      AWS_ACCESS_KEY_ID: 'bundle-test',
      AWS_SECRET_ACCESS_KEY: 'bundle-test',
    };
    const health = await withEnvironment(unreachable, async () =>
      (await bundledHandler(routeOf('health')))(routeEvent({ route: 'health' }), {}),
    );
    expect(health.statusCode).toBe(503);
    expect(JSON.parse(health.body ?? '')).toMatchObject({ status: 'unavailable', store: 'unavailable' });
    const operator = { sub: 'u-1', groups: ['ats-operator'], ats: 'ATS-05-001' };
    const validate = await (await bundledHandler(routeOf('validate')))(
      routeEvent({ route: 'validate', caller: operator, rawBody: '{not json' }),
      {},
    );
    expect(validate.statusCode).toBe(400);
    expect(JSON.parse(validate.body ?? '').error.message).toMatch(/JSON/);
  });
});

/** Each time and each id the server makes up, so that two runs of the same calls compare equal. */
function comparable(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  return JSON.parse(
    text
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, '<time>')
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>'),
  );
}

describe('Lambda bundles behave as their sources', () => {
  const operator = { sub: 'op-1', groups: ['ats-operator'], ats: 'ATS-05-001' };
  const reviewer = { sub: 'rev-05', groups: ['region-reviewer'], region: '05' };
  const at = { ats: 'ATS-05-001', period: '2025-12-31' };
  const submission = validSubmission();
  /** One ATS's life through every route: registration, parameters, checks, submission, review, reading back. */
  const calls: Array<{ id: string } & RouteCall> = [
    { id: 'health', route: 'health' },
    { id: 'listTemplates', route: 'listTemplates', caller: operator },
    {
      id: 'getTemplate',
      route: 'getTemplate',
      caller: operator,
      params: { id: LEPS_ATS.id, version: LEPS_ATS.version },
    },
    {
      id: 'putRegionAts',
      route: 'putRegionAts',
      caller: reviewer,
      params: { region: '05', ats: 'ATS-05-001' },
      body: { name: 'Ambito di prova', comuni: ['025001', '025003', '025004', '025006'] },
    },
    { id: 'listRegionAts', route: 'listRegionAts', caller: reviewer, params: { region: '05' } },
    {
      id: 'putRegionParameters',
      route: 'putRegionParameters',
      caller: reviewer,
      params: { region: '05' },
      body: { parameters: { udpMinFte: 1.5 } },
    },
    { id: 'getRegionParameters', route: 'getRegionParameters', caller: reviewer, params: { region: '05' } },
    { id: 'validate', route: 'validate', caller: operator, body: submission },
    {
      id: 'validate, a broken return',
      route: 'validate',
      caller: operator,
      body: { ...submission, sheets: { ...submission.sheets, T2: [], T4: [{ FONDO: 'XYZ' }] } },
    },
    {
      id: 'putSubmission',
      route: 'putSubmission',
      caller: operator,
      params: at,
      headers: { 'idempotency-key': 'bundle-test-1' },
      body: submission,
    },
    {
      id: 'putSubmission, not a return',
      route: 'putSubmission',
      caller: operator,
      params: at,
      headers: { 'idempotency-key': 'bundle-test-2' },
      body: { template: LEPS_ATS.id, sheets: 'none' },
    },
    { id: 'getSubmission', route: 'getSubmission', caller: operator, params: at },
    { id: 'getSubmissionDocument', route: 'getSubmissionDocument', caller: operator, params: at },
    {
      id: 'reviewSubmission',
      route: 'reviewSubmission',
      caller: reviewer,
      params: at,
      body: { decision: 'approve', comment: null, version: 1 },
    },
    { id: 'getAudit', route: 'getAudit', caller: operator, params: { ats: 'ATS-05-001' } },
    {
      id: 'consolidated',
      route: 'consolidated',
      caller: reviewer,
      params: { region: '05' },
      query: { period: '2025-12-31' },
    },
    {
      id: 'getSubmission, another ATS',
      route: 'getSubmission',
      caller: operator,
      params: { ...at, ats: 'ATS-05-002' },
    },
  ];

  /**
   * Runs the calls in order, each through the handler `load` gives for its route with the environment it gives, on a
   * table of their own.
   */
  async function answers(load: (route: RouteDef) => Promise<{ handler: Handler; env: Record<string, string> }>) {
    const results: Array<{ id: string; status: number; body: unknown }> = [];
    for (const { id, ...call } of calls) {
      const { handler, env } = await load(routeOf(call.route));
      const result = await withEnvironment(env, () => handler(routeEvent(call), {}));
      results.push({ id, status: result.statusCode, body: comparable(result.body) });
    }
    return results;
  }

  /** The function's environment as the stack sets it, its paths under /var/task moved to the bundle's folder. */
  function deployedEnvironment(route: RouteDef): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(functionOf(route).Environment?.Variables ?? {})) {
      // TABLE_NAME is a reference to the table, resolved at deployment: the test names its own table.
      if (typeof value === 'string') env[name] = value.replace(/^\/var\/task(?=\/|$)/, bundleDir(route));
    }
    return env;
  }

  it('answers one ATS through every route as the TypeScript handlers do, against DynamoDB Local', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rendiconta-bundles-'));
    const store = await startDynamoDbLocal(dataDir);
    try {
      await ensureTable(store.endpoint, 'bundled');
      await ensureTable(store.endpoint, 'source');
      const aws = {
        AWS_ENDPOINT_URL_DYNAMODB: store.endpoint,
        AWS_REGION: 'eu-south-1',
        AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
        LOG_LEVEL: 'ERROR',
      };
      const bundled = await answers(async (route) => {
        // Not the instances of the test above, whose DynamoDB clients point at a closed port.
        const handler = await bundledHandler(route, 'against-sources');
        return { handler, env: { ...deployedEnvironment(route), ...aws, TABLE_NAME: 'bundled' } };
      });
      const source = await answers(async (route) => {
        const module: { handler: Handler } = await import(
          pathToFileURL(join(REPO_ROOT, 'functions', 'handlers', `${route.id}.ts`)).href
        );
        return { handler: module.handler, env: { ...aws, TABLE_NAME: 'source' } };
      });
      expect(bundled).toEqual(source);
      // The calls did what they say: the sequence is not a row of refusals that would match trivially.
      expect(Object.fromEntries(source.map((answer) => [answer.id, answer.status]))).toEqual({
        health: 200,
        listTemplates: 200,
        getTemplate: 200,
        putRegionAts: 201,
        listRegionAts: 200,
        putRegionParameters: 201,
        getRegionParameters: 200,
        validate: 200,
        'validate, a broken return': 200,
        putSubmission: 201,
        'putSubmission, not a return': 400,
        getSubmission: 200,
        getSubmissionDocument: 200,
        reviewSubmission: 200,
        getAudit: 200,
        consolidated: 200,
        'getSubmission, another ATS': 403,
      });
      const broken = source.find((answer) => answer.id === 'validate, a broken return')?.body as {
        findings: Array<{ ruleId: string }>;
      };
      expect(broken.findings.length).toBeGreaterThan(0);
    } finally {
      await store.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
