import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { keys } from '../functions/store/keys.ts';
import { AWS_SDK_MODULES, handlerBundle } from './bundling.ts';
import { REPO_ROOT } from './paths.ts';

/**
 * What each route's function may do with the table, derived from its code rather than declared: the CDK app grants
 * exactly this (infra/constructs/api.ts) and a route whose code sends nothing gets no table policy at all.
 *
 * At synthesis each handler is bundled in memory with esbuild, as NodejsFunction bundles it (tree-shaken, the AWS SDK
 * left external) but not minified, so that what remains can be read:
 * - the DynamoDB command classes the bundle imports from `@aws-sdk/lib-dynamodb` / `@aws-sdk/client-dynamodb` are the
 *   commands its code can send (tree shaking drops the imports of code no route reaches; a store class brings all of
 *   its methods, so splitting the store per operation narrows the grants);
 * - for TransactWriteItems, which item kinds (`Put`, `Update`, `Delete`, `ConditionCheck`) the repository's own code
 *   left in the bundle builds;
 * - the partition keys it can touch: the key builders of functions/store/keys.ts it calls (dynamodb:LeadingKeys).
 *
 * The derivation refuses code it cannot read soundly (a namespace or dynamic import of the SDK, the aggregated
 * `DynamoDB`/`DynamoDBDocument` clients, an unknown command, a partition key written as a literal outside keys.ts, the
 * `keys` object used other than as `keys.<builder>`): synthesis fails instead of granting a guess.
 */

/** The DynamoDB packages whose command classes send requests. */
const DYNAMODB_PACKAGES = /^@aws-sdk\/(?:lib|client)-dynamodb$/;

export type TransactKind = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';

/**
 * The IAM action each kind of TransactWriteItems item needs: "Permissions for Put, Update, Delete, and Get actions are
 * governed by the permissions used for the underlying PutItem, UpdateItem, DeleteItem, and GetItem operations. For the
 * ConditionCheck action, you can use the dynamodb:ConditionCheckItem permission"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html).
 */
export const TRANSACT_ITEM_ACTIONS: Readonly<Record<TransactKind, string>> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

/**
 * The IAM actions each AWS SDK v3 DynamoDB command needs (document client and low-level names), from the Service
 * Authorization Reference's table of DynamoDB API operations and the actions they authorize
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html). Transactions are
 * authorized item by item: TransactWriteItems gets the actions of the item kinds its code builds
 * (TRANSACT_ITEM_ACTIONS), TransactGetItems GetItem. BatchWriteItem is one action for puts and deletes alike, so it
 * is delete-capable whatever the code puts in it.
 */
export const COMMAND_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  GetCommand: ['dynamodb:GetItem'],
  GetItemCommand: ['dynamodb:GetItem'],
  BatchGetCommand: ['dynamodb:BatchGetItem'],
  BatchGetItemCommand: ['dynamodb:BatchGetItem'],
  QueryCommand: ['dynamodb:Query'],
  ScanCommand: ['dynamodb:Scan'],
  PutCommand: ['dynamodb:PutItem'],
  PutItemCommand: ['dynamodb:PutItem'],
  UpdateCommand: ['dynamodb:UpdateItem'],
  UpdateItemCommand: ['dynamodb:UpdateItem'],
  DeleteCommand: ['dynamodb:DeleteItem'],
  DeleteItemCommand: ['dynamodb:DeleteItem'],
  BatchWriteCommand: ['dynamodb:BatchWriteItem'],
  BatchWriteItemCommand: ['dynamodb:BatchWriteItem'],
  TransactGetCommand: ['dynamodb:GetItem'],
  TransactGetItemsCommand: ['dynamodb:GetItem'],
  TransactWriteCommand: [],
  TransactWriteItemsCommand: [],
};

/**
 * Names of the DynamoDB packages that send nothing by themselves: the clients (a command must be given to `send`) and
 * the exception classes. The aggregated `DynamoDB`/`DynamoDBDocument` clients, whose methods send commands without
 * naming them, are not here: the derivation refuses them.
 */
const SENDS_NOTHING = /^(?:DynamoDBClient|DynamoDBDocumentClient|\w+Exception)$/;

const TRANSACT_WRITE_COMMANDS = new Set(['TransactWriteCommand', 'TransactWriteItemsCommand']);

/** Actions that can remove an item. */
export const DELETE_CAPABLE_ACTIONS: readonly string[] = ['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/**
 * The builders of functions/store/keys.ts that make a partition key (PK). Every other builder makes a sort key. A
 * test fails when keys.ts has a builder in neither list, and checks each prefix against what the builder returns.
 */
export const PARTITION_KEY_BUILDERS: Readonly<Record<string, string>> = {
  submission: 'SUB#',
  current: 'REGION#',
  regionPeriod: 'REGION#',
  region: 'REGION#',
  audit: 'AUDIT#',
  regionAudit: 'AUDIT#REGION#',
  idempotency: 'IDEM#',
  blob: 'BLOB#',
  layout: 'TABLE#',
};
export const SORT_KEY_BUILDERS: readonly string[] = [
  'currentPrefix',
  'version',
  'review',
  'versionPrefix',
  'history',
  'historyPrefix',
  'registration',
  'regionParameters',
  'auditEvent',
  'idempotencySort',
  'chunk',
];

export interface TableAccess {
  /** DynamoDB command classes the handler's bundle imports, sorted. */
  readonly commands: readonly string[];
  /** Item kinds of the TransactWriteItems its own code builds (empty without a TransactWrite command). */
  readonly transactItems: readonly TransactKind[];
  /** The IAM actions those need, sorted; empty: no table policy and no TABLE_NAME. */
  readonly actions: readonly string[];
  /** Partition-key prefixes its code builds keys with (`SUB#`, …), sorted: the dynamodb:LeadingKeys it is allowed. */
  readonly partitionKeyPrefixes: readonly string[];
  /** The repository files whose code is in the bundle, for messages. */
  readonly sources: readonly string[];
}

/** Where the key builders live (paths in the bundle's comments are relative to the repository). */
const KEYS_FILE = 'functions/store/keys.ts';

/** esbuild's comment before each input's code in an unminified bundle: `// functions/store/keys.ts`. */
const SOURCE_COMMENT = /^\/\/ ((?:[\w@.-]+\/)*[\w@.-]+\.(?:ts|mts|js|mjs|cjs))$/gm;

/** The code of the bundle by input file (an input may come in several pieces). */
function codeBySource(code: string): Map<string, string> {
  const marks = [...code.matchAll(SOURCE_COMMENT)];
  const pieces = new Map<string, string>();
  marks.forEach((mark, index) => {
    const start = (mark.index ?? 0) + mark[0].length;
    const end = marks[index + 1]?.index ?? code.length;
    const path = mark[1] ?? '';
    pieces.set(path, `${pieces.get(path) ?? ''}${code.slice(start, end)}\n`);
  });
  return pieces;
}

function fail(routeId: string, message: string): never {
  throw new Error(`Table access of ${routeId} cannot be derived: ${message}`);
}

/** One binding an ESM bundle imports from a DynamoDB package: `import { GetCommand as GetCommand2 } from …`. */
export interface DynamoDbImport {
  readonly name: string;
  readonly local: string;
}

const IMPORT_STATEMENT = /\bimport\s*([^'"`;]*?)\s*from\s*["']([^"']+)["'];?/g;

/** The named imports of the DynamoDB packages in an ESM bundle. */
export function dynamoDbImports(code: string, routeId = 'bundle'): DynamoDbImport[] {
  const bindings: DynamoDbImport[] = [];
  for (const match of code.matchAll(IMPORT_STATEMENT)) {
    if (!DYNAMODB_PACKAGES.test(match[2] ?? '')) continue;
    const clause = (match[1] ?? '').trim();
    const named = clause.match(/^\{([^}]*)\}$/);
    if (!named) fail(routeId, `"import ${clause} from '${match[2]}'": only named imports can be read`);
    for (const part of (named[1] ?? '').split(',')) {
      const [name, alias] = part.trim().split(/\s+as\s+/);
      if (name) bindings.push({ name, local: alias ?? name });
    }
  }
  if (/\b(?:import|require)\s*\(\s*["']@aws-sdk\/(?:lib|client)-dynamodb["']/.test(code)) {
    fail(routeId, 'the DynamoDB SDK is imported dynamically or required');
  }
  return bindings;
}

/**
 * The imported names whose binding the bundle's code still uses. esbuild keeps every import statement of an external
 * module (it cannot know the module has no side effects) even when the code that used the binding was tree-shaken
 * away, so an import alone proves nothing; a use of the binding does.
 */
export function usedDynamoDbImports(code: string, routeId = 'bundle'): string[] {
  const body = code.replace(IMPORT_STATEMENT, '');
  return dynamoDbImports(code, routeId)
    .filter(({ local }) => new RegExp(`(?<![\\w$.])${local.replace(/\$/g, '\\$')}(?![\\w$])`).test(body))
    .map(({ name }) => name);
}

const cache = new Map<string, TableAccess>();

/** The table access of functions/handlers/<routeId>.ts (cached per process). */
export function deriveTableAccess(routeId: string): TableAccess {
  const cached = cache.get(routeId);
  if (cached) return cached;
  const result = buildSync({
    ...handlerBundle(routeId),
    external: [AWS_SDK_MODULES],
    minify: false,
    write: false,
    absWorkingDir: REPO_ROOT,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text ?? '';
  const access = analyseBundle(routeId, code);
  cache.set(routeId, access);
  return access;
}

/** The derivation on an unminified bundle's text (exported for tests of the rules themselves). */
export function analyseBundle(routeId: string, code: string): TableAccess {
  const imported = usedDynamoDbImports(code, routeId);
  const sent: string[] = [];
  for (const name of imported) {
    if (name.endsWith('Command')) sent.push(name);
    // paginateQuery sends QueryCommand.
    else if (name.startsWith('paginate')) sent.push(`${name.slice('paginate'.length)}Command`);
    else if (!SENDS_NOTHING.test(name)) {
      fail(routeId, `${name} from the DynamoDB SDK may send commands the derivation cannot see: use command classes`);
    }
  }
  const commands = [...new Set(sent)].sort();
  for (const command of commands) {
    if (!(command in COMMAND_ACTIONS)) fail(routeId, `unknown DynamoDB command ${command}: add it to COMMAND_ACTIONS`);
  }

  // The repository's own code in the bundle (functions/, shared/), piece by piece.
  const own = [...codeBySource(code)].filter(([path]) => !path.includes('node_modules/'));
  const transactItems = new Set<TransactKind>();
  const prefixes = new Set<string>();
  const partitionPrefixes = [...new Set(Object.values(PARTITION_KEY_BUILDERS))];
  const builders = new Set([...Object.keys(PARTITION_KEY_BUILDERS), ...SORT_KEY_BUILDERS]);
  for (const [path, piece] of own) {
    for (const match of piece.matchAll(/\b(Put|Update|Delete|ConditionCheck)\s*:/g)) {
      transactItems.add(match[1] as TransactKind);
    }
    if (path === KEYS_FILE) continue;
    for (const prefix of partitionPrefixes) {
      if (new RegExp(`["'\`]${prefix}`).test(piece)) {
        fail(routeId, `${path} writes a "${prefix}" key itself: build keys with functions/store/keys.ts`);
      }
    }
    // `keys` (or esbuild's renamed `keys2`) as an identifier, not a property such as Object.keys.
    for (const match of piece.matchAll(/(?<![.\w$])keys\d*\b(\s*\.\s*(\w+))?/g)) {
      const builder = match[2];
      if (!builder) {
        // A local variable or parameter named keys is fine only as a declaration or with an unknown member.
        continue;
      }
      if (!builders.has(builder)) continue;
      const prefix = PARTITION_KEY_BUILDERS[builder];
      if (prefix) prefixes.add(prefix);
    }
    const store = path.startsWith('functions/store/');
    if (store && (/(?:=|\(|,)\s*keys\d*\s*(?:[,);]|$)/m.test(piece) || /\{[^{}]*\}\s*=\s*keys\d*\b/.test(piece))) {
      fail(routeId, `${path} passes or destructures the keys object: call keys.<builder>(...) where the key is made`);
    }
  }

  const sendsTransactWrite = commands.some((command) => TRANSACT_WRITE_COMMANDS.has(command));
  const kinds = sendsTransactWrite ? [...transactItems].sort() : [];
  const actions = new Set<string>();
  for (const command of commands) for (const action of COMMAND_ACTIONS[command] ?? []) actions.add(action);
  for (const kind of kinds) actions.add(TRANSACT_ITEM_ACTIONS[kind]);
  if (actions.size > 0 && prefixes.size === 0) {
    fail(routeId, 'it sends DynamoDB commands but builds no key with functions/store/keys.ts');
  }
  return {
    commands,
    transactItems: kinds,
    actions: [...actions].sort(),
    partitionKeyPrefixes: actions.size > 0 ? [...prefixes].sort() : [],
    sources: own.map(([path]) => path),
  };
}

/** Whether a key builder of functions/store/keys.ts exists in neither list (for the test that keeps them complete). */
export function unclassifiedKeyBuilders(): string[] {
  const known = new Set([...Object.keys(PARTITION_KEY_BUILDERS), ...SORT_KEY_BUILDERS]);
  return Object.keys(keys).filter((name) => !known.has(name));
}

/** `npx tsx infra/table-access.ts`: each route's derived actions and partition prefixes, as the stack grants them. */
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { ROUTES } = await import('../functions/routes.ts');
  for (const route of ROUTES) {
    const access = deriveTableAccess(route.id);
    const actions = access.actions.map((action) => action.replace('dynamodb:', '')).join(', ') || '(none)';
    const prefixes = access.partitionKeyPrefixes.map((prefix) => `${prefix}*`).join(', ');
    console.log(`${route.id.padEnd(18)} ${actions}${prefixes ? `  on ${prefixes}` : ''}`);
  }
}
