import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { observeDynamoDbRequests } from '../../functions/store/request-meter.ts';
import { startTestStack, submissionFor, type TestStack } from './support.ts';

/**
 * The audit trail is append-only because every write of an audit item is conditional on the item not existing: the
 * IAM role cannot say that (a function that may put an item may overwrite it), so this test watches every request
 * the store sends to DynamoDB Local during a submission and a review.
 */

interface SentItem {
  readonly command: string;
  readonly kind: string;
  readonly pk: string;
  readonly condition: string | undefined;
}

let env: TestStack;
const sent: SentItem[] = [];

/** The partition key's value, marshalled ({S: "…"}) or not. */
function pkOf(item: Record<string, unknown> | undefined): string {
  const pk = item?.PK as string | { S?: string } | undefined;
  return typeof pk === 'string' ? pk : (pk?.S ?? '');
}

beforeAll(async () => {
  env = await startTestStack();
  // Every command the functions send, as their threads report it (functions/store/request-meter.ts).
  observeDynamoDbRequests(({ command, input }) => {
    const entries = (input.TransactItems as Array<Record<string, Record<string, unknown>>> | undefined) ?? [];
    for (const entry of entries) {
      for (const [kind, body] of Object.entries(entry)) {
        sent.push({
          command,
          kind,
          pk: pkOf((body.Item ?? body.Key) as Record<string, unknown>),
          condition: body.ConditionExpression as string | undefined,
        });
      }
    }
    if (input.Item || input.Key) {
      sent.push({
        command,
        kind: command,
        pk: pkOf((input.Item ?? input.Key) as Record<string, unknown>),
        condition: input.ConditionExpression as string | undefined,
      });
    }
    // BatchWriteItem's requests per table (BatchGetItem's entries are not arrays: they read).
    for (const requests of Object.values((input.RequestItems as Record<string, unknown> | undefined) ?? {})) {
      if (!Array.isArray(requests)) continue;
      for (const request of requests as Array<Record<string, Record<string, unknown>>>) {
        const put = request.PutRequest?.Item ?? request.DeleteRequest?.Key;
        if (put) sent.push({ command, kind: command, pk: pkOf(put as Record<string, unknown>), condition: undefined });
      }
    }
  });
}, 120_000);

afterAll(async () => {
  await env?.close();
});

describe('audit items', () => {
  it('are only ever written by a put conditional on attribute_not_exists(PK), on submit and on review', async () => {
    const ats = 'ATS-05-001';
    const registered = await env.client.send(`/v1/regions/05/ats/${ats}`, {
      method: 'PUT',
      token: env.tokens.reviewer,
      body: JSON.stringify({ name: 'Ambito di prova', comuni: ['025001', '025003', '025004', '025006'] }),
    });
    expect(registered.status).toBe(201);
    const submitted = await env.client.send(`/v1/ats/${ats}/submissions/2025-12-31`, {
      method: 'PUT',
      token: env.tokens.operator,
      headers: { 'idempotency-key': 'audit-writes-test-1' },
      body: JSON.stringify(submissionFor(ats)),
    });
    expect(submitted.status, submitted.text).toBe(201);
    const reviewed = await env.client.send(`/v1/ats/${ats}/submissions/2025-12-31/review`, {
      method: 'POST',
      token: env.tokens.reviewer,
      body: JSON.stringify({ decision: 'approve', comment: 'Va bene', version: 1 }),
    });
    expect(reviewed.status).toBe(200);

    const audit = sent.filter((item) => item.pk.startsWith('AUDIT#'));
    // One event for the submission, one for the review.
    expect(audit.length).toBeGreaterThanOrEqual(2);
    for (const item of audit) {
      expect(item, JSON.stringify(item)).toMatchObject({ kind: 'Put', condition: 'attribute_not_exists(PK)' });
    }
  });
});
