import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { startLocalStack } from '../../functions/local/stack.ts';
import { DynamoStore } from '../../functions/store/dynamo.ts';
import {
  dynamoDbRequestCounts,
  observeDynamoDbRequests,
  resetDynamoDbRequestCounts,
} from '../../functions/store/request-meter.ts';
import { canonicalJson, sha256Hex } from '../../shared/contract/canonical.ts';
import type { Submission } from '../../shared/contract/submission.ts';
import { REGION_CODES, syntheticRegion } from '../../shared/demo/ats.ts';
import { DEMO_PERIOD, generateSubmission } from '../../shared/demo/generate.ts';
import { SHEET_IDS } from '../../shared/template/types.ts';
import { httpClient } from '../functions/http-client.ts';
import { largeSubmission } from '../functions/support.ts';

/**
 * What the key design costs DynamoDB on a deadline day (issue 14, points 4 and 5), measured on the requests the
 * handlers send (each command's marshalled input, as the client reports it from the handlers' threads):
 * - the largest item each PUT and each review writes to any one partition, by partition kind, and the write units it
 *   costs there (a transaction writes twice);
 * - the partitions a Region's deadline day touches (every ATS of a Veneto-sized Region sends its annual return);
 * - GET submission's DynamoDB requests at 1 and 1,000 versions, and walking the whole history page by page.
 * `npm run bench -- functions-store` runs this file alone (`-- functions` runs it after functions.bench.ts).
 */

const PERIOD = DEMO_PERIOD;
const REGION = '05';

type AttributeValue = {
  S?: string;
  N?: string;
  /** Base64 on the wire, bytes in the client's input. */
  B?: string | Uint8Array;
  BOOL?: boolean;
  NULL?: boolean;
  M?: Record<string, AttributeValue>;
  L?: AttributeValue[];
  SS?: string[];
};

/** DynamoDB's item size (its documented rules, close enough for write units): names plus values. */
function valueBytes(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S, 'utf8');
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\.|e.*$/gi, '').replace(/^0+/, '').length / 2) + 1;
  if (value.B !== undefined)
    return typeof value.B === 'string' ? Buffer.from(value.B, 'base64').byteLength : value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.M) return 3 + itemBytes(value.M) + Object.keys(value.M).length;
  if (value.L) return 3 + value.L.reduce((sum, each) => sum + valueBytes(each) + 1, 0);
  if (value.SS) return value.SS.reduce((sum, each) => sum + Buffer.byteLength(each, 'utf8'), 0);
  return 0;
}
function itemBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value), 0);
}

interface Write {
  readonly partition: string;
  readonly bytes: number;
  /** Write units: 1 per KB started, twice inside a transaction. */
  readonly units: number;
}

const writes: Write[] = [];
let recording = false;

/**
 * Records every item written (PutItem, and each Put or Update of a transaction) from the command's marshalled input,
 * as the stack's function threads report it (functions/store/request-meter.ts).
 */
function recordWrites(): void {
  observeDynamoDbRequests(({ command, input: body }) => {
    if (recording) {
      const add = (item: Record<string, AttributeValue> | undefined, transactional: boolean) => {
        if (!item) return;
        const bytes = itemBytes(item);
        writes.push({
          partition: item.PK?.S ?? '?',
          bytes,
          units: Math.ceil(bytes / 1024) * (transactional ? 2 : 1),
        });
      };
      if (command === 'PutItemCommand') add(body.Item as Record<string, AttributeValue>, false);
      if (command === 'TransactWriteItemsCommand') {
        for (const entry of (body.TransactItems ?? []) as Array<Record<string, Record<string, unknown>>>) {
          if (entry.Put) add(entry.Put.Item as Record<string, AttributeValue>, true);
          if (entry.Update) {
            // The item after the update is what is billed; the pointer's and history entry's sizes are known.
            const key = entry.Update.Key as Record<string, AttributeValue>;
            add(
              { ...key, ...((entry.Update.ExpressionAttributeValues ?? {}) as Record<string, AttributeValue>) },
              true,
            );
          }
        }
      }
    }
  });
}

const kindOf = (partition: string): string =>
  partition
    .replace(/^REGION#\d{2}#.*/, 'REGION#{rr}#{period} (pointers)')
    .replace(/^SUB#.*/, 'SUB#{ats}#{period} (versions)')
    .replace(/^AUDIT#.*/, 'AUDIT#{ats}')
    .replace(/^IDEM#.*/, 'IDEM#{sub}#{key}')
    .replace(/^BLOB#.*/, 'BLOB#{hash} (chunks)');

async function measured(task: () => Promise<void>): Promise<Write[]> {
  writes.length = 0;
  recording = true;
  try {
    await task();
  } finally {
    recording = false;
  }
  return [...writes];
}

function printWrites(label: string, recorded: readonly Write[]): void {
  const byKind = new Map<string, Write[]>();
  for (const write of recorded)
    byKind.set(kindOf(write.partition), [...(byKind.get(kindOf(write.partition)) ?? []), write]);
  console.log(`  ${label}`);
  for (const [kind, list] of byKind) {
    const largest = Math.max(...list.map((write) => write.bytes));
    const units = list.reduce((sum, write) => sum + write.units, 0);
    console.log(
      `    ${kind.padEnd(34)} ${String(list.length).padStart(3)} item(s), largest ${(largest / 1024).toFixed(1).padStart(6)} KB, ${String(units).padStart(4)} WCU`,
    );
  }
}

async function requests(
  task: () => Promise<{ status: number }>,
): Promise<{ total: number; detail: string; ms: number }> {
  resetDynamoDbRequestCounts();
  const started = performance.now();
  const response = await task();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`expected 200, got ${response.status}`);
  const counts = dynamoDbRequestCounts();
  return {
    total: Object.values(counts).reduce((sum, count) => sum + count, 0),
    detail: Object.entries(counts)
      .map(([name, count]) => `${name.replace('Command', '')}×${count}`)
      .join(', '),
    ms,
  };
}

/** A version stored straight through the store (the history's length is what is measured, not the checks). */
async function storeVersion(store: DynamoStore, ats: string, version: number, body: Submission): Promise<void> {
  const canonical = canonicalJson(body);
  const sha256 = await sha256Hex(canonical);
  const receivedAt = new Date().toISOString();
  const result = await store.commitVersion({
    version: {
      ats,
      period: PERIOD,
      version,
      sha256,
      receivedAt,
      template: body.template,
      templateVersion: body.templateVersion,
      findings: [],
      errors: 0,
      warnings: 0,
      comment: version > 1 ? `Versione ${version}` : null,
      submittedBy: 'bench',
      clientVersion: null,
      summary: {
        population: 1,
        fteAsTi: 1,
        contribution: 0,
        rows: SHEET_IDS.reduce((total, sheet) => total + (body.sheets[sheet]?.length ?? 0), 0),
      },
      body: canonical,
    },
    expectedVersion: version > 1 ? version - 1 : null,
    idempotency: {
      scope: `bench-history#${ats}#${version}`,
      requestHash: sha256,
      receipt: {
        ats,
        period: PERIOD,
        template: body.template,
        templateVersion: body.templateVersion,
        version,
        sha256,
        receivedAt,
        status: 'SUBMITTED',
        findings: [],
      },
    },
    audit: {
      ats,
      at: receivedAt,
      who: 'bench',
      groups: [],
      what: 'SUBMIT',
      period: PERIOD,
      version,
      sha256,
      clientVersion: null,
    },
  });
  if (!result.ok) throw new Error(`version ${version}: ${result.reason}`);
}

export async function run(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rendiconta-bench-store-'));
  const stack = await startLocalStack({ port: 0, dataDir, seed: false, quiet: true });
  const client = httpClient(stack.apiUrl, stack.caCertPath);
  try {
    recordWrites();
    const comuni = loadComuni();
    const store = new DynamoStore();
    const region = syntheticRegion(REGION, comuni);
    const admin = await stack.token({ sub: 'bench-admin', groups: ['national-admin'] });
    for (const entry of region) await store.putRegistration(REGION, entry, 'bench');
    const operator = (ats: string) => stack.token({ sub: `bench-${ats}`, groups: ['ats-operator'], ats });
    const put = async (ats: string, body: Submission, ifMatch?: number) => {
      const response = await client.send(`/v1/ats/${ats}/submissions/${PERIOD}`, {
        method: 'PUT',
        token: await operator(ats),
        headers: {
          'idempotency-key': `bench-${ats}-${Date.now()}-${Math.random()}`,
          ...(ifMatch ? { 'if-match': String(ifMatch) } : {}),
        },
        body: JSON.stringify(body),
      });
      if (response.status !== 201) throw new Error(`PUT ${ats}: ${response.status} ${response.text.slice(0, 300)}`);
    };

    console.log('\nItems written per operation, by partition (largest item, write units; a transaction writes twice)');
    const [first, second] = region;
    if (!first || !second) throw new Error('no ATS');
    const demo = generateSubmission({ ats: first, regionCode: REGION, comuni, period: PERIOD, seed: 1 });
    const demoBytes = Buffer.byteLength(JSON.stringify(demo));
    printWrites(
      `PUT of a demo annual return (${(demoBytes / 1024).toFixed(0)} KB of JSON), first version`,
      await measured(() => put(first.ats, demo)),
    );
    printWrites(
      'PUT replacing it (same body, with a comment)',
      await measured(() => put(first.ats, { ...demo, comment: 'Correzione' }, 1)),
    );
    const review = await measured(async () => {
      const response = await client.send(`/v1/ats/${first.ats}/submissions/${PERIOD}/review`, {
        method: 'POST',
        token: admin,
        body: JSON.stringify({ decision: 'approve', version: 2 }),
      });
      // The admin is no reviewer of the Region: use one.
      if (response.status === 403) {
        const reviewer = await stack.token({ sub: 'bench-rev', groups: ['region-reviewer'], region: REGION });
        const again = await client.send(`/v1/ats/${first.ats}/submissions/${PERIOD}/review`, {
          method: 'POST',
          token: reviewer,
          body: JSON.stringify({ decision: 'approve', version: 2 }),
        });
        if (again.status !== 200) throw new Error(`review: ${again.status}`);
      } else if (response.status !== 200) throw new Error(`review: ${response.status}`);
    });
    printWrites('review (approve)', review);
    const large = { ...largeSubmission(5_000_000), ats: second.ats };
    const largeBody = {
      ...large,
      sheets: Object.fromEntries(
        Object.entries(large.sheets).map(([sheet, rows]) => [
          sheet,
          (rows ?? []).map((row) => ({ ...row, COD_ATS: second.ats })),
        ]),
      ),
    } as Submission;
    await store.putRegistration(REGION, { ...second, comuni: ['025001', '025003', '025004', '025006'] }, 'bench');
    const largeWrites = await measured(() => put(second.ats, largeBody));
    printWrites('PUT of a 5 MB return (chunked body)', largeWrites);

    console.log(`\nA deadline day of Regione ${REGION} (${region.length} ATS, each sends its annual return once)`);
    const day: Write[] = [];
    for (const entry of region.slice(2)) {
      const body = generateSubmission({ ats: entry, regionCode: REGION, comuni, period: PERIOD, seed: 1 });
      day.push(...(await measured(() => put(entry.ats, body))));
    }
    const partitions = new Set(day.map((write) => write.partition));
    const byKind = new Map<string, Set<string>>();
    for (const partition of partitions)
      byKind.set(kindOf(partition), (byKind.get(kindOf(partition)) ?? new Set()).add(partition));
    console.log(`  ${day.length} items written to ${partitions.size} partitions:`);
    for (const [kind, set] of byKind) {
      const inKind = day.filter((write) => kindOf(write.partition) === kind);
      console.log(
        `    ${kind.padEnd(34)} ${String(set.size).padStart(4)} partition(s); largest item ${(Math.max(...inKind.map((write) => write.bytes)) / 1024).toFixed(1).padStart(6)} KB; ${String(inKind.reduce((sum, write) => sum + write.units, 0)).padStart(6)} WCU in all`,
      );
    }

    console.log(
      '\nGET submission: DynamoDB requests whatever the number of versions (before: 13 requests at 1,806 versions)',
    );
    // An ATS code the demo Region does not use, so its history is only the versions stored here.
    const busy = { ...second, ats: `ATS-${REGION}-900` };
    const body = generateSubmission({ ats: busy, regionCode: REGION, comuni, period: PERIOD, seed: 1 });
    const token = await operator(busy.ats);
    const line = (label: string, result: { total: number; detail: string; ms: number }) =>
      console.log(
        `  ${label.padEnd(44)} ${String(result.total).padStart(3)} requests (${result.detail}), ${result.ms.toFixed(1)} ms`,
      );
    for (let version = 1; version <= 1000; version++) {
      await storeVersion(store, busy.ats, version, version === 1 ? body : { ...body, comment: `Versione ${version}` });
      if (version === 1)
        line(
          '1 version: current',
          await requests(() => client.send(`/v1/ats/${busy.ats}/submissions/${PERIOD}`, { token })),
        );
    }
    line(
      '1,000 versions: current (newest 100 listed)',
      await requests(() => client.send(`/v1/ats/${busy.ats}/submissions/${PERIOD}`, { token })),
    );
    line(
      '1,000 versions: version 17',
      await requests(() => client.send(`/v1/ats/${busy.ats}/submissions/${PERIOD}?version=17`, { token })),
    );
    let pageToken: string | null | undefined;
    let pages = 0;
    let total = 0;
    let listed = 0;
    const started = performance.now();
    do {
      const query = `?historyLimit=1000${pageToken ? `&historyPageToken=${encodeURIComponent(pageToken)}` : ''}`;
      let parsed: { versions: unknown[]; historyNextToken?: string | null } = { versions: [] };
      const result = await requests(async () => {
        const response = await client.send(`/v1/ats/${busy.ats}/submissions/${PERIOD}${query}`, { token });
        parsed = response.json() as typeof parsed;
        return response;
      });
      total += result.total;
      listed += parsed.versions.length;
      pageToken = parsed.historyNextToken;
      pages += 1;
    } while (pageToken);
    console.log(
      `  1,000 versions: whole history with historyLimit=1000 ${String(pages).padStart(3)} page(s), ${listed} versions, ${total} requests, ${(performance.now() - started).toFixed(1)} ms`,
    );

    console.log('\nConsolidated view of the largest generated Region, three times the demo rows per ATS (v1.1 pages)');
    const largest = REGION_CODES.map((code) => ({ code, ats: syntheticRegion(code, comuni) })).reduce((left, right) =>
      right.ats.length > left.ats.length ? right : left,
    );
    let rows = 0;
    for (const entry of largest.ats) {
      await store.putRegistration(largest.code, entry, 'bench');
      const generated = generateSubmission({ ats: entry, regionCode: largest.code, comuni, period: PERIOD, seed: 1 });
      const sheets = Object.fromEntries(
        Object.entries(generated.sheets).map(([sheet, list]) => [
          sheet,
          [...(list ?? []), ...(list ?? []), ...(list ?? [])],
        ]),
      ) as Submission['sheets'];
      const tripled = { ...generated, sheets };
      rows += SHEET_IDS.reduce((total, sheet) => total + (sheets[sheet]?.length ?? 0), 0);
      await storeVersion(store, entry.ats, 1, tripled);
    }
    const reviewer = await stack.token({ sub: 'bench-rev-big', groups: ['region-reviewer'], region: largest.code });
    const url = `/v1/regions/${largest.code}/consolidated?period=${PERIOD}`;
    let next: string | undefined;
    let index = 0;
    let all = 0;
    const begun = performance.now();
    do {
      const rssBefore = process.memoryUsage().rss;
      let text = '';
      const result = await requests(async () => {
        const response = await client.send(next === undefined ? url : `${url}&pageToken=${encodeURIComponent(next)}`, {
          token: reviewer,
        });
        text = response.text;
        return response;
      });
      const body = JSON.parse(text) as { pageAts?: string[]; nextPageToken?: string };
      const bytes = Buffer.byteLength(text);
      all += bytes;
      index += 1;
      console.log(
        `  page ${String(index).padStart(2)}: ${String(body.pageAts?.length ?? 0).padStart(3)} ATS, ${(bytes / 1024 / 1024).toFixed(2)} MB uncompressed, ${result.ms.toFixed(0).padStart(5)} ms, ${result.total} requests (${result.detail}), RSS +${((process.memoryUsage().rss - rssBefore) / 1024 / 1024).toFixed(0)} MB`,
      );
      next = body.nextPageToken;
    } while (next !== undefined);
    console.log(
      `  Regione ${largest.code}: ${largest.ats.length} ATS, ${rows} rows, ${(all / 1024 / 1024).toFixed(1)} MB in ${index} pages (limit 5 MB each), ${(performance.now() - begun).toFixed(0)} ms in all`,
    );
  } finally {
    client.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
