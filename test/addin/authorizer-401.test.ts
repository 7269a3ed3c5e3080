import { describe, expect, it } from 'vitest';
import { ApiClient, SESSION_EXPIRED } from '../../addin/app/api.ts';
import { fetchRegionalApi, SESSION_EXPIRED as PANEL_SESSION_EXPIRED } from '../../addin/regional/api.ts';
import { errorMessage, UNAUTHORIZED_MESSAGE } from '../../cli/api.ts';
import { validSubmission } from '../support/builders.ts';

/**
 * In AWS a missing, expired or forged token never reaches a function: the HTTP API's JWT authorizer answers
 * `401 {"message":"Unauthorized"}` with a `www-authenticate` header, and HTTP APIs cannot change that body
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html). Every client must
 * turn that 401 into an Italian message from the status alone.
 */

const authorizer401 = async (): Promise<Response> =>
  new Response('{"message":"Unauthorized"}', {
    status: 401,
    headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer scope="" error="invalid_token"' },
  });

describe('the JWT authorizer’s 401, read by status', () => {
  it('task pane client: every call ends "unauthorized" with an Italian message', async () => {
    const api = new ApiClient({ baseUrl: 'https://api.example', token: () => 'scaduto', fetch: authorizer401 });
    const submission = validSubmission();
    const answers = [
      await api.validate(submission),
      await api.currentVersion(submission.ats, submission.period),
      await api.putSubmission(submission, 'key-401-abcdef', null),
    ];
    for (const answer of answers) expect(answer).toEqual({ kind: 'unauthorized', message: SESSION_EXPIRED });
  });

  it('regional panel client: an Italian message, no code of a body it did not get', async () => {
    const api = fetchRegionalApi({ baseUrl: 'https://api.example', token: () => 'scaduto', fetch: authorizer401 });
    const answers = [
      await api.consolidated('05', '2025-12-31'),
      await api.listAts('05'),
      await api.review('ATS-05-001', '2025-12-31', { decision: 'approve', comment: '', version: 1 }),
      await api.putAts('05', 'ATS-05-001', { name: 'Ambito', comuni: ['025001'] }),
    ];
    for (const answer of answers) expect(answer).toEqual({ ok: false, status: 401, message: PANEL_SESSION_EXPIRED });
  });

  it('command line: the status decides, whatever the body (AWS’s, or our own contract error)', () => {
    expect(errorMessage({ status: 401, body: { message: 'Unauthorized' } })).toBe(UNAUTHORIZED_MESSAGE);
    expect(
      errorMessage({ status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'Accesso non autenticato.' } } }),
    ).toBe(UNAUTHORIZED_MESSAGE);
    expect(UNAUTHORIZED_MESSAGE).toMatch(/^Accesso non autorizzato/);
  });
});
