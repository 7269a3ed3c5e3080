import { describe, expect, it } from 'vitest';
import { analyseBundle, usedDynamoDbImports } from '../../infra/table-access.ts';

/** An unminified esbuild bundle in miniature: import statements, then each input's code after its path comment. */
function bundle(imports: string, pieces: Record<string, string>): string {
  return [
    imports,
    ...Object.entries(pieces).map(([path, code]) => `// ${path}\n${code}`),
    "// functions/store/keys.ts\nvar keys = { audit: (ats) => 'AUDIT#' + ats };",
  ].join('\n\n');
}

describe('table access derived from a bundle', () => {
  it('counts a command only where the bundle still uses it: esbuild keeps imports of tree-shaken code', () => {
    const code = bundle(
      'import { QueryCommand } from "@aws-sdk/lib-dynamodb";\nimport { PutCommand as PutCommand2, DeleteCommand } from "@aws-sdk/lib-dynamodb";',
      {
        'functions/store/dynamo-audit.ts':
          'send(new QueryCommand({ KeyConditionExpression: "PK = :pk", ":pk": keys.audit(a) }));',
      },
    );
    expect(usedDynamoDbImports(code)).toEqual(['QueryCommand']);
    expect(analyseBundle('r', code)).toMatchObject({
      commands: ['QueryCommand'],
      actions: ['dynamodb:Query'],
      partitionKeyPrefixes: ['AUDIT#'],
    });
  });

  it('grants a transaction the actions of the item kinds its code builds, and nothing for kinds it does not', () => {
    const code = bundle('import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";', {
      'functions/store/dynamo-review.ts':
        'send(new TransactWriteCommand({ TransactItems: [{ Update: { Key: { PK: keys.audit(a) } } }, { Put: { Item: {} } }] }));',
    });
    const access = analyseBundle('r', code);
    expect(access.transactItems).toEqual(['Put', 'Update']);
    expect(access.actions).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(access.actions).not.toContain('dynamodb:DeleteItem');
    expect(access.actions).not.toContain('dynamodb:ConditionCheckItem');
  });

  it('maps a paginator to its command and gives a route without commands nothing', () => {
    const paginated = bundle('import { paginateQuery } from "@aws-sdk/lib-dynamodb";', {
      'functions/store/x.ts': 'paginateQuery({ client }, { ":pk": keys.audit(a) });',
    });
    expect(analyseBundle('r', paginated).actions).toEqual(['dynamodb:Query']);
    const none = bundle('', { 'functions/handlers/health.ts': 'export const handler = () => ({ statusCode: 200 });' });
    expect(analyseBundle('health', none)).toMatchObject({ actions: [], partitionKeyPrefixes: [] });
  });

  it('refuses what it cannot read soundly, instead of granting a guess', () => {
    const cases: Array<[string, string, Record<string, string>]> = [
      ['namespace import', 'import * as ddb from "@aws-sdk/lib-dynamodb";', {}],
      [
        'aggregated client',
        'import { DynamoDBDocument } from "@aws-sdk/lib-dynamodb";',
        { 'a.ts': 'DynamoDBDocument.from(c)' },
      ],
      [
        'unknown command',
        'import { ExecuteStatementCommand } from "@aws-sdk/lib-dynamodb";',
        { 'a.ts': 'new ExecuteStatementCommand()' },
      ],
      ['dynamic import', '', { 'functions/store/a.ts': 'await import("@aws-sdk/lib-dynamodb")' }],
      [
        'key written by hand',
        'import { GetCommand } from "@aws-sdk/lib-dynamodb";',
        { 'functions/store/a.ts': 'new GetCommand({ Key: { PK: "SUB#" + ats, SK: keys.audit(x) } })' },
      ],
      [
        'keys destructured',
        'import { GetCommand } from "@aws-sdk/lib-dynamodb";',
        { 'functions/store/a.ts': 'const { audit } = keys; new GetCommand({ Key: { PK: audit(x) } })' },
      ],
      [
        'no key builder',
        'import { GetCommand } from "@aws-sdk/lib-dynamodb";',
        { 'functions/store/a.ts': 'new GetCommand({ Key: input.key })' },
      ],
    ];
    for (const [name, imports, pieces] of cases) {
      expect(() => analyseBundle('r', bundle(imports, pieces)), name).toThrow(/cannot be derived/);
    }
  });
});
