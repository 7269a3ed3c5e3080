import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSubmission } from '../../functions/core/history.ts';
import { idempotencyScope } from '../../functions/core/idempotency.ts';
import { receiptOf } from '../../functions/core/receipts.ts';
import { putSubmission } from '../../functions/core/submissions.ts';
import { sha256HexOf } from '../../functions/lib/hash.ts';
import {
  escapedBytes,
  LAMBDA_PAYLOAD_BYTES,
  MAX_RESPONSE_BODY_BYTES,
  RESULT_ENVELOPE_BYTES,
} from '../../functions/lib/lambda-limits.ts';
import { MemoryStore } from '../../functions/store/memory.ts';
import type { CurrentVersion, ReadingStore } from '../../functions/store/types.ts';
import { FINDINGS_PER_RULE, FINDINGS_TOTAL } from '../../shared/checks/bound.ts';
import type { Finding } from '../../shared/checks/types.ts';
import {
  getSubmissionResponseSchema,
  putSubmissionResponseSchema,
  validateResponseSchema,
} from '../../shared/contract/api.ts';
import { canonicalJson } from '../../shared/contract/canonical.ts';
import type { Submission, SubmissionRow } from '../../shared/contract/submission.ts';
import { ATS, check, staff, validSubmission } from '../support/builders.ts';
import type { HttpResponse } from './http-client.ts';
import { newKey, PERIOD, registerTestAts, startTestStack, type TestStack } from './support.ts';

/**
 * Contract v1.1 "Bounded findings" through the local stack: a response carries at most 1,000 findings per rule and
 * 10,000 in all, with the full counts per rule beside them, so a submission with many warnings is stored and
 * answered within 5 MB (before, its receipt passed 5 MB and its idempotency record DynamoDB's 400 KB item).
 */

const path = `/v1/ats/${ATS}/submissions/${PERIOD}`;

function expectWithinResponseBound(response: HttpResponse): void {
  expect(response.headers['content-encoding']).toBeUndefined();
  expect(response.body.byteLength).toBeLessThanOrEqual(MAX_RESPONSE_BODY_BYTES);
  expect(escapedBytes(response.text)).toBeLessThanOrEqual(LAMBDA_PAYLOAD_BYTES - RESULT_ENVELOPE_BYTES);
}

const total = (counts: Record<string, { errors: number; warnings: number }>): number =>
  Object.values(counts).reduce((sum, count) => sum + count.errors + count.warnings, 0);

/** Staff who left on 30 June with a full year's FTE typed: one T3.11 warning each, no error. */
function leavers(count: number): Submission {
  const base = validSubmission();
  const rows = [...(base.sheets.T3 ?? [])];
  for (let index = 0; index < count; index++) {
    rows.push(
      staff(`ED-${String(index).padStart(6, '0')}`, {
        PROFILO: 'EDUCATORE',
        TIPO_RAPPORTO: 'TD',
        DATA_FINE: '2025-06-30',
        FTE: 1,
      }) as SubmissionRow,
    );
  }
  return { ...base, sheets: { ...base.sheets, T3: rows } };
}

describe('the leavers fixture', () => {
  it('gives one T3.11 warning a row and no error', () => {
    const findings = check(leavers(3));
    expect(findings.filter((finding) => finding.severity === 'error')).toEqual([]);
    expect(findings.filter((finding) => finding.rule === 'T3.11')).toHaveLength(3);
  });
});

describe('the worst case fits a response', () => {
  it('GET submission and PUT’s receipt with 12,000 findings of the longest, quote-heavy messages', async () => {
    // Longer than any message of the catalogue (the longest name a value, a few hundred characters), quote-heavy and
    // accented so that escaping and UTF-8 both grow it.
    const message = `Valore «${'"\\'.repeat(40)}» non ammesso: è ${'à'.repeat(120)} ${'x'.repeat(400)}`;
    const findings: Finding[] = [];
    for (let index = 0; index < 12_000; index++) {
      findings.push({
        rule: `T${(index % 6) + 1}.${index % 12}`,
        severity: index % 5 === 0 ? 'error' : 'warning',
        sheet: 'T3',
        row: index + 1,
        column: 'FTE',
        message,
        ref: 'L. 178/2020 art. 1 c. 797',
      });
    }
    const version: CurrentVersion = {
      ats: ATS,
      period: PERIOD,
      version: 1,
      sha256: 'a'.repeat(64),
      receivedAt: '2026-01-25T10:00:00.000Z',
      template: 'LEPS-ATS',
      templateVersion: '1.0.0',
      findings,
      errors: 2400,
      warnings: 9600,
      comment: null,
      submittedBy: 'op-1',
      clientVersion: null,
      summary: null,
      body: JSON.stringify(validSubmission()),
      status: 'SUBMITTED',
      review: null,
    };
    const receipt = receiptOf(version, 'SUBMITTED');
    const put = JSON.stringify({ receipt });
    expect(Buffer.byteLength(put)).toBeLessThanOrEqual(MAX_RESPONSE_BODY_BYTES);
    expect(escapedBytes(put)).toBeLessThanOrEqual(LAMBDA_PAYLOAD_BYTES - RESULT_ENVELOPE_BYTES);
    expect(receipt.findingsBound?.truncated).toBe(true);
    expect(total(receipt.findingsBound?.countsByRule ?? {})).toBe(12_000);

    const store: ReadingStore = {
      getCurrent: async () => version,
      getVersion: async () => version,
      listHistory: async () => ({ versions: [version], nextBefore: null }),
    };
    const caller = { sub: 'op-1', groups: ['ats-operator' as const], ats: ATS, region: null };
    const response = await getSubmission(
      { store, comuni: () => undefined as never, now: () => new Date() },
      caller as never,
      ATS,
      PERIOD,
      undefined,
    );
    const text = JSON.stringify(response);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_RESPONSE_BODY_BYTES);
    expect(escapedBytes(text)).toBeLessThanOrEqual(LAMBDA_PAYLOAD_BYTES - RESULT_ENVELOPE_BYTES);
    expect(response.findings).toEqual(response.receipt.findings);
    // Errors first.
    const firstWarning = response.findings.findIndex((finding) => finding.severity === 'warning');
    if (firstWarning >= 0) {
      expect(response.findings.slice(firstWarning).every((finding) => finding.severity === 'warning')).toBe(true);
    }
    // Such messages are stopped by the byte budget, not by the count.
    expect(response.findings.length).toBeLessThan(FINDINGS_TOTAL);
    expect(response.findings.length).toBeGreaterThan(1000);
  });
});

describe('idempotent replays', () => {
  it('bounds a receipt stored with its findings inline (a record written before findings were bounded)', async () => {
    const store = new MemoryStore();
    const submission = validSubmission();
    const canonical = canonicalJson(submission);
    const sha256 = sha256HexOf(canonical);
    const key = 'key-before-bound-1';
    const findings: Finding[] = Array.from({ length: 1500 }, (_, index) => ({
      rule: 'T3.11',
      severity: 'warning' as const,
      sheet: 'T3' as const,
      row: index + 1,
      column: 'FTE',
      message: 'Personale cessato in corso d’anno.',
      ref: 'nota MLPS',
    }));
    const receipt = {
      ats: ATS,
      period: PERIOD,
      template: 'LEPS-ATS',
      templateVersion: submission.templateVersion,
      version: 1,
      sha256,
      receivedAt: '2026-01-25T10:00:00.000Z',
      status: 'SUBMITTED' as const,
      findings,
    };
    const committed = await store.commitVersion({
      version: {
        ...receipt,
        findings,
        errors: 0,
        warnings: 1500,
        comment: null,
        submittedBy: 'op-1',
        clientVersion: null,
        summary: null,
        body: canonical,
      },
      expectedVersion: null,
      idempotency: {
        scope: idempotencyScope('op-1', key),
        requestHash: sha256HexOf(`${ATS}|${PERIOD}|${sha256}`),
        receipt,
      },
      audit: {
        ats: ATS,
        at: receipt.receivedAt,
        who: 'op-1',
        groups: ['ats-operator'],
        what: 'SUBMIT',
        period: PERIOD,
        version: 1,
        sha256,
        clientVersion: null,
      },
    });
    expect(committed.ok).toBe(true);
    const replay = await putSubmission(
      { store, comuni: () => undefined as never, now: () => new Date('2026-01-25T11:00:00Z') },
      {
        caller: { sub: 'op-1', groups: ['ats-operator'], ats: ATS, region: null },
        ats: ATS,
        period: PERIOD,
        body: { text: JSON.stringify(submission), value: submission },
        idempotencyKey: key,
        ifMatch: undefined,
        clientVersion: null,
      },
    );
    expect(replay.replayed).toBe(true);
    expect(replay.receipt.findings).toHaveLength(FINDINGS_PER_RULE);
    expect(replay.receipt.findingsBound).toEqual({
      countsByRule: { 'T3.11': { errors: 0, warnings: 1500 } },
      truncated: true,
    });
  });
});

describe('bounded findings through the local stack', () => {
  let env: TestStack;

  beforeAll(async () => {
    env = await startTestStack();
    await registerTestAts(env);
  }, 120_000);

  afterAll(async () => {
    await env?.close();
  });

  it('validate: 20,000 empty T5 rows answer at most 10,000 findings, truncated, with the full counts', async () => {
    const base = validSubmission();
    const body = {
      ...base,
      sheets: { ...base.sheets, T5: Array.from({ length: 20_000 }, () => ({ COD_ATS: ATS }) as SubmissionRow) },
    };
    const response = await env.client.send('/v1/validate', {
      method: 'POST',
      token: env.tokens.operator,
      body: JSON.stringify(body),
    });
    expect(response.status, response.text.slice(0, 300)).toBe(200);
    expectWithinResponseBound(response);
    const parsed = validateResponseSchema.parse(response.json());
    expect(parsed.findings.length).toBeLessThanOrEqual(FINDINGS_TOTAL);
    expect(parsed.summary.truncated).toBe(true);
    const counts = parsed.summary.countsByRule ?? {};
    expect(total(counts)).toBe(parsed.summary.errors + parsed.summary.warnings);
    expect(total(counts)).toBeGreaterThan(20_000);
    for (const [rule, count] of Object.entries(counts)) {
      const shown = parsed.findings.filter((finding) => finding.rule === rule).length;
      expect(shown).toBe(Math.min(count.errors + count.warnings, FINDINGS_PER_RULE));
    }
  }, 120_000);

  it('PUT: 12,000 warnings and no error are stored, answered within 5 MB, replayed with the same receipt, read back', async () => {
    const key = newKey();
    const body = JSON.stringify(leavers(12_000));
    const send = () =>
      env.client.send(path, { method: 'PUT', token: env.tokens.operator, headers: { 'idempotency-key': key }, body });
    const first = await send();
    expect(first.status, first.text.slice(0, 300)).toBe(201);
    expectWithinResponseBound(first);
    const { receipt } = putSubmissionResponseSchema.parse(first.json());
    expect(receipt.findings.filter((finding) => finding.rule === 'T3.11')).toHaveLength(FINDINGS_PER_RULE);
    expect(receipt.findingsBound?.truncated).toBe(true);
    expect(receipt.findingsBound?.countsByRule['T3.11']).toEqual({ errors: 0, warnings: 12_000 });

    const replay = await send();
    expect(replay.status, replay.text.slice(0, 300)).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expectWithinResponseBound(replay);
    expect(putSubmissionResponseSchema.parse(replay.json()).receipt).toEqual(receipt);

    const got = await env.client.send(path, { token: env.tokens.operator });
    expect(got.status, got.text.slice(0, 300)).toBe(200);
    expectWithinResponseBound(got);
    const read = getSubmissionResponseSchema.parse(got.json());
    expect(read.receipt).toEqual(receipt);
    expect(read.findings).toEqual(receipt.findings);
  }, 180_000);
});
