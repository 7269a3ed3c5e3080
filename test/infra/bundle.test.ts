import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteDef } from '../../functions/routes.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { COMMAND_ACTIONS, TABLE_ACTIONS } from '../../infra/table-access.ts';
import { type Synthesized, synth } from './support.ts';

/** One synthesis with real esbuild bundling: what `cdk deploy` uploads for each function. */
let synthesized: Synthesized;

beforeAll(() => {
  synthesized = synth({ bundle: true });
}, 180_000);
afterAll(() => synthesized.cleanup());

function bundleDir(route: RouteDef): string {
  const functions = synthesized.template.findResources('AWS::Lambda::Function', {
    Properties: { Description: `Rendiconta LEPS ${route.method} ${route.path}` },
  });
  const [fn] = Object.values(functions) as Array<{ Properties: { Code: { S3Key: string } } }>;
  if (!fn) throw new Error(`no function for ${route.id}`);
  return join(synthesized.outdir, `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
}

/** Names imported from DynamoDB SDK packages, which stay external (the runtime provides SDK v3). */
function dynamoDbImports(code: string): string[] {
  const imports = code.matchAll(/import\s*\{([^}]*)\}\s*from\s*"(@aws-sdk\/(?:lib|client)-dynamodb)"/g);
  return [...imports].flatMap((match) =>
    (match[1] ?? '').split(',').map((name) => name.trim().split(/\s+as\s+/)[0] ?? ''),
  );
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
      // The SDK is imported, never bundled; nothing else is left external.
      const bareImports = [...code.matchAll(/from\s*"([^".][^"]*)"/g)].map((match) => match[1] ?? '');
      expect(bareImports.filter((name) => !name.startsWith('@aws-sdk/') && !name.startsWith('node:'))).toEqual([]);
      expect(code).not.toContain('@smithy/smithy-client');
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

  it('grants cover every DynamoDB command the code sends, and table-less routes bundle none', () => {
    for (const route of ROUTES) {
      const code = readFileSync(join(bundleDir(route), 'index.mjs'), 'utf8');
      const commands = dynamoDbImports(code).filter((name) => name.endsWith('Command'));
      if (route.tableAccess === 'none') {
        expect(commands, route.id).toEqual([]);
        continue;
      }
      for (const command of commands) {
        const needed = COMMAND_ACTIONS[command];
        expect(needed, `${route.id}: unknown command ${command}: add it to COMMAND_ACTIONS`).toBeDefined();
        // The store is one class, so a read-only route's bundle also holds the write commands it never sends; its
        // role denies them. What must hold is that writers can do everything the store does.
        for (const action of needed ?? [])
          expect(TABLE_ACTIONS['read-write'], `${route.id}: ${command}`).toContain(action);
      }
    }
  });

  it('runs: the bundled health handler answers 200 and the bundled validate handler rejects bad JSON with 400', async () => {
    const event = (routeKey: string, body?: string) => ({
      version: '2.0',
      routeKey,
      rawPath: routeKey.split(' ')[1],
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      requestContext: {
        requestId: 'bundle-test',
        routeKey,
        http: {
          method: routeKey.split(' ')[0],
          path: routeKey.split(' ')[1],
          sourceIp: '127.0.0.1',
          userAgent: 'vitest',
        },
        authorizer: {
          jwt: { claims: { sub: 'u-1', 'cognito:groups': '[ats-operator]', 'custom:ats': 'ATS-05-001' }, scopes: [] },
        },
      },
      body,
      isBase64Encoded: false,
    });
    const load = async (id: string) => {
      const route = ROUTES.find((r) => r.id === id);
      if (!route) throw new Error(id);
      const module: { handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }> } =
        await import(pathToFileURL(join(bundleDir(route), 'index.mjs')).href);
      return module.handler;
    };
    const health = await (await load('health'))(event('GET /v1/health'), {});
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    const validate = await (await load('validate'))(event('POST /v1/validate', '{not json'), {});
    expect(validate.statusCode).toBe(400);
    expect(JSON.parse(validate.body).error.message).toMatch(/JSON/);
  });
});
