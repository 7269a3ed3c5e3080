import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { localCredentials, startDynamoDbLocal } from '../../functions/local/dynamodb.ts';
import { tableName } from '../../functions/store/client.ts';
import {
  consolidatedResponseSchema,
  getSubmissionResponseSchema,
  putSubmissionResponseSchema,
} from '../../shared/contract/api.ts';
import { ATS } from '../support/builders.ts';
import { BELLUNO_COMUNI, newKey, PERIOD, startTestStack, submissionFor, type TestStack } from './support.ts';

/**
 * A data folder written before the current pointers moved into their Region's partition (November 2026): pointers
 * at `SUB#{ats}#{period}` / `CURRENT` with GSI1 keys, and a table with GSI1; and before they were slimmed (December
 * 2026): each pointer a copy of its version's body and findings, no history entries (`H#`), no layout mark. The stack
 * must upgrade it on start and lose nothing: the same receipts, the review, the history, the consolidated list.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'rendiconta-upgrade-'));
let env: TestStack | undefined;

afterAll(async () => {
  await env?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Item = Record<string, unknown>;

/** Rewrites the table as the earlier release laid it out, from the items today's code stored. */
async function rewriteAsLegacyLayout(): Promise<{ legacyPointers: number }> {
  const dynamo = await startDynamoDbLocal(dataDir);
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'eu-south-1', credentials: localCredentials });
  const documents = DynamoDBDocumentClient.from(client);
  try {
    const table = tableName();
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    await client.send(new DeleteTableCommand({ TableName: table }));
    await client.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: ['PK', 'SK', 'GSI1PK', 'GSI1SK'].map((name) => ({
          AttributeName: name,
          AttributeType: 'S',
        })),
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'GSI1',
            KeySchema: [
              { AttributeName: 'GSI1PK', KeyType: 'HASH' },
              { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    let legacyPointers = 0;
    const versionOf = (item: Item) =>
      items.find(
        (each) =>
          each.PK === `SUB#${String(item.ats)}#${String(item.period)}` &&
          each.SK === `V#${String(item.version).padStart(10, '0')}`,
      );
    const legacy = items
      .filter((item) => !String(item.SK).startsWith('H#') && item.PK !== 'TABLE#LAYOUT')
      .map((item) => {
        const isPointer = /^REGION#\d{2}#/.test(String(item.PK)) && String(item.SK).startsWith('ATS#');
        if (!isPointer) return item;
        legacyPointers += 1;
        const { bodyBytes: _bodyBytes, findingsBytes: _findingsBytes, ...pointer } = item;
        const { PK: _pk, SK: _sk, ...version } = versionOf(item) ?? {};
        return {
          ...version,
          ...pointer,
          PK: `SUB#${String(item.ats)}#${String(item.period)}`,
          SK: 'CURRENT',
          GSI1PK: item.PK,
          GSI1SK: item.SK,
        };
      });
    expect(legacy.filter((item) => item.SK === 'CURRENT' && item.bodyGz === undefined)).toEqual([]);
    for (let index = 0; index < legacy.length; index += 25) {
      const batch = legacy.slice(index, index + 25).map((Item) => ({ PutRequest: { Item } }));
      await documents.send(new BatchWriteCommand({ RequestItems: { [table]: batch } }));
    }
    return { legacyPointers };
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

describe('a data folder from before the current pointers moved', () => {
  it('is upgraded on start: receipts, review and the consolidated list are all still there', async () => {
    env = await startTestStack({ dataDir });
    await env.client.send(`/v1/regions/05/ats/${ATS}`, {
      method: 'PUT',
      token: env.tokens.admin,
      body: JSON.stringify({ name: 'Ambito di prova', comuni: BELLUNO_COMUNI }),
    });
    const path = `/v1/ats/${ATS}/submissions/${PERIOD}`;
    const put = (ifMatch?: number) =>
      env?.client.send(path, {
        method: 'PUT',
        token: env.tokens.operator,
        headers: { 'idempotency-key': newKey(), ...(ifMatch ? { 'if-match': String(ifMatch) } : {}) },
        body: JSON.stringify(submissionFor(ATS, ifMatch ? { comment: 'Correzione del numero di assistenti' } : {})),
      });
    expect((await put())?.status).toBe(201);
    const second = await put(1);
    expect(second?.status).toBe(201);
    const receipt = putSubmissionResponseSchema.parse(second?.json()).receipt;
    const approved = await env.client.send(`${path}/review`, {
      method: 'POST',
      token: env.tokens.reviewer,
      body: JSON.stringify({ decision: 'approve', version: 2 }),
    });
    expect(approved.status).toBe(200);
    await env.close({ keepData: true });
    env = undefined;

    const { legacyPointers } = await rewriteAsLegacyLayout();
    expect(legacyPointers).toBe(1);

    env = await startTestStack({ dataDir });
    const read = getSubmissionResponseSchema.parse(
      (await env.client.send(path, { token: env.tokens.reviewer })).json(),
    );
    expect(read.receipt).toEqual({ ...receipt, status: 'APPROVED' });
    expect(read.versions.map((version) => [version.version, version.status])).toEqual([
      [1, 'SUBMITTED'],
      [2, 'APPROVED'],
    ]);
    const consolidated = consolidatedResponseSchema.parse(
      (await env.client.send(`/v1/regions/05/consolidated?period=${PERIOD}`, { token: env.tokens.reviewer })).json(),
    );
    expect(consolidated.ats.find((entry) => entry.ats === ATS)).toMatchObject({ submitted: true, version: 2 });
    // And the next version goes on from there, under the same optimistic concurrency.
    expect((await put(2))?.status).toBe(201);
    expect((await put(2))?.status).toBe(409);

    const client = new DynamoDBClient({
      endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
      region: 'eu-south-1',
      credentials: localCredentials,
    });
    try {
      const table = await client.send(new DescribeTableCommand({ TableName: tableName() }));
      expect(table.Table?.GlobalSecondaryIndexes ?? []).toEqual([]);
      const leftovers = await DynamoDBDocumentClient.from(client).send(
        new ScanCommand({
          TableName: tableName(),
          FilterExpression: 'SK = :current',
          ExpressionAttributeValues: { ':current': 'CURRENT' },
        }),
      );
      expect(leftovers.Items).toEqual([]);
      const fat = await DynamoDBDocumentClient.from(client).send(
        new ScanCommand({
          TableName: tableName(),
          FilterExpression: 'begins_with(PK, :region) AND (attribute_exists(bodyGz) OR attribute_exists(findingsGz))',
          ExpressionAttributeValues: { ':region': 'REGION#' },
        }),
      );
      expect(fat.Items).toEqual([]);
    } finally {
      client.destroy();
    }
  });
});
