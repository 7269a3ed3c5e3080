import type { AuditEvent, GetSubmissionResponse, ReviewBody, VersionSummary } from '../../shared/contract/api.ts';
import { type Caller, regionOfAts, requireReadAts, requireReviewerOf } from '../lib/claims.ts';
import { badRequest, conflict, HttpError, notFound } from '../lib/http.ts';
import { responseFits } from '../lib/lambda-limits.ts';
import { type CurrentVersion, InvalidPageTokenError, type StoredVersion } from '../store/types.ts';
import type { AuditDeps, DocumentDeps, ReadingDeps, ReviewDeps } from './deps.ts';
import { receiptOf } from './receipts.ts';

/** The reading side of submissions, and the review: none of it runs the checks, so these functions stay small. */

function versionSummary(
  version: Omit<StoredVersion, 'body' | 'findings'> & { status: CurrentVersion['status'] },
): VersionSummary {
  return {
    version: version.version,
    sha256: version.sha256,
    receivedAt: version.receivedAt,
    status: version.status,
    templateVersion: version.templateVersion,
    errors: version.errors,
    warnings: version.warnings,
    comment: version.comment,
  };
}

export function parseVersionQuery(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) {
    throw badRequest('Parametro version non valido: atteso un numero intero da 1 in su.', [
      { path: 'version', message: 'Numero intero positivo.' },
    ]);
  }
  return Number(value);
}

export const HISTORY_PAGE_DEFAULT = 100;
const HISTORY_PAGE_MAX = 1000;

export interface HistoryQuery {
  readonly limit: number;
  /** The version below which the page starts (from historyPageToken); absent for the newest page. */
  readonly before?: number;
}

const badHistoryToken = () =>
  badRequest('Parametro historyPageToken non valido: usare quello restituito dalla pagina precedente.', [
    { path: 'historyPageToken', message: 'Non valido per questo Ambito e periodo.' },
  ]);

/** The opaque history token: the ATS, the period and the version to continue below, so a foreign one is refused. */
export function historyToken(ats: string, period: string, before: number): string {
  return Buffer.from(JSON.stringify({ a: ats, p: period, b: before }), 'utf8').toString('base64url');
}

/** `?historyLimit=` (1–1000, default 100) and `?historyPageToken=`: bad or foreign values are a 400. */
export function parseHistoryQuery(
  ats: string,
  period: string,
  limitText: string | undefined,
  token: string | undefined,
): HistoryQuery {
  let limit = HISTORY_PAGE_DEFAULT;
  if (limitText !== undefined) {
    if (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > HISTORY_PAGE_MAX) {
      throw badRequest(`Parametro historyLimit non valido: da 1 a ${HISTORY_PAGE_MAX}.`, [
        { path: 'historyLimit', message: `Da 1 a ${HISTORY_PAGE_MAX}.` },
      ]);
    }
    limit = Number(limitText);
  }
  if (token === undefined) return { limit };
  if (token.length === 0 || token.length > 200) throw badHistoryToken();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badHistoryToken();
  }
  const value = decoded as { a?: unknown; p?: unknown; b?: unknown } | null;
  if (
    typeof value !== 'object' ||
    value === null ||
    Object.keys(value).length !== 3 ||
    value.a !== ats ||
    value.p !== period ||
    typeof value.b !== 'number' ||
    !Number.isInteger(value.b) ||
    value.b < 2 ||
    value.b > 1e9
  ) {
    throw badHistoryToken();
  }
  return { limit, before: value.b };
}

/**
 * GET /v1/ats/{ats}/submissions/{period}[?version=N&historyLimit=&historyPageToken=]: three requests in parallel
 * whatever the number of versions — the current version, the version asked for, a page of the history — plus one
 * when a body is chunked. `versions` is the page (the newest `historyLimit` versions, or those below the token),
 * listed oldest first as in v1; `historyNextToken` continues with older ones.
 */
export async function getSubmission(
  deps: ReadingDeps,
  caller: Caller,
  ats: string,
  period: string,
  requested: number | undefined,
  history: HistoryQuery = { limit: HISTORY_PAGE_DEFAULT },
): Promise<GetSubmissionResponse> {
  requireReadAts(caller, ats);
  const [current, page, asked] = await Promise.all([
    deps.store.getCurrent(ats, period),
    deps.store.listHistory(ats, period, {
      limit: history.limit,
      ...(history.before === undefined ? {} : { before: history.before }),
    }),
    requested === undefined ? undefined : deps.store.getVersion(ats, period, requested),
  ]);
  if (!current) throw notFound(`Nessuna rendicontazione dell\u2019Ambito ${ats} per il periodo ${period}.`);
  const isCurrent = requested === undefined || requested === current.version;
  const shown = isCurrent ? current : asked;
  if (!shown) throw notFound(`La versione ${requested} non esiste per l\u2019Ambito ${ats} e il periodo ${period}.`);
  // The review item read with the version is its status: no need for the version to be on the history page.
  const status = isCurrent ? current.status : statusOfReview(shown.review);
  // The receipt's findings are bounded (and byte-budgeted: the list travels twice); `findings` is that same list.
  const receipt = receiptOf(shown, status);
  const rest = {
    receipt,
    status,
    findings: receipt.findings,
    current: isCurrent,
    currentVersion: current.version,
    review: shown.review,
    versions: [...page.versions].reverse().map(versionSummary),
    historyNextToken: page.nextBefore === null ? null : historyToken(ats, period, page.nextBefore),
  };
  return inlineIfFits(rest, shown.body);
}

/**
 * The response with the document inline when the whole of it stays within the contract's 5 MB and, escaped into
 * Lambda's result, its 6 MB (responseFits); otherwise without it (`submissionInline: false`, `submission: null`): the
 * client reads it from the document route, which every stored version fits (PUT refuses a document that would not).
 * Measured as the handler will write it — the rest, then `"submission":` and the stored canonical text, whose
 * JSON.parse/JSON.stringify round trip has the same bytes — so the document is parsed only when it is sent.
 */
function inlineIfFits(rest: Omit<GetSubmissionResponse, 'submission'>, body: string): GetSubmissionResponse {
  const head = JSON.stringify({ ...rest, submissionInline: true });
  if (responseFits([head, ',"submission":', body])) {
    return { ...rest, submissionInline: true, submission: JSON.parse(body) as unknown };
  }
  return { ...rest, submissionInline: false, submission: null };
}

/** What GET …/document answers: the stored canonical JSON of one version, byte for byte. */
export interface SubmissionDocument {
  readonly version: number;
  readonly sha256: string;
  readonly body: string;
}

/**
 * GET /v1/ats/{ats}/submissions/{period}/document[?version=N]: the stored document of the current version, or of
 * version N, exactly as stored (its sha256 is the receipt's). Who may read it is who may read GET submission. One
 * Query (plus one BatchGetItem when the body is chunked); never over 5 MB, because PUT refuses a submission whose
 * canonical JSON would not fit this response (submissions.ts, requireRetrievable).
 */
export async function getSubmissionDocument(
  deps: DocumentDeps,
  caller: Caller,
  ats: string,
  period: string,
  requested: number | undefined,
): Promise<SubmissionDocument> {
  requireReadAts(caller, ats);
  const shown =
    requested === undefined
      ? await deps.store.getCurrent(ats, period)
      : await deps.store.getVersion(ats, period, requested);
  if (!shown) {
    throw notFound(
      requested === undefined
        ? `Nessuna rendicontazione dell\u2019Ambito ${ats} per il periodo ${period}.`
        : `La versione ${requested} non esiste per l\u2019Ambito ${ats} e il periodo ${period}.`,
    );
  }
  return { version: shown.version, sha256: shown.sha256, body: shown.body };
}

function statusOfReview(review: { decision: 'approve' | 'reject' } | null): CurrentVersion['status'] {
  if (!review) return 'SUBMITTED';
  return review.decision === 'approve' ? 'APPROVED' : 'REJECTED';
}

/**
 * Segregation of duties: whoever submitted a version (a user in both ats-operator and region-reviewer) may not approve
 * or reject it. The attempt is written to the ATS's audit trail, so the Region sees it, and refused with a 403.
 */
async function refuseOwnSubmission(
  deps: ReviewDeps,
  caller: Caller,
  current: CurrentVersion,
  body: ReviewBody,
  clientVersion: string | null,
): Promise<never> {
  await deps.store.recordAudit({
    ats: current.ats,
    at: deps.now().toISOString(),
    who: caller.sub,
    groups: [...caller.groups],
    what: 'REVIEW_REFUSED',
    period: current.period,
    version: current.version,
    sha256: current.sha256,
    clientVersion,
    comment: `Esito richiesto: ${body.decision === 'approve' ? 'approvazione' : 'respingimento'}; rifiutato perché chi esamina ha inviato la versione.`,
  });
  throw new HttpError(
    403,
    'SEGREGATION_OF_DUTIES',
    `Non si può esaminare una rendicontazione inviata da sé stessi: la versione ${current.version} è stata inviata con questa utenza. Deve approvarla o respingerla un altro revisore della Regione.`,
  );
}

/** POST …/review: SUBMITTED → APPROVED or REJECTED, only on the current version, never by who submitted it. */
export async function reviewSubmission(
  deps: ReviewDeps,
  caller: Caller,
  ats: string,
  period: string,
  body: ReviewBody,
  clientVersion: string | null,
) {
  requireReviewerOf(caller, regionOfAts(ats));
  const comment = body.comment?.trim() || null;
  if (body.decision === 'reject' && comment === null) {
    throw badRequest('Per respingere una rendicontazione indicare il motivo nel commento.', [
      { path: 'comment', message: 'Obbligatorio quando la decisione è "reject".' },
    ]);
  }
  const current = await deps.store.getCurrent(ats, period);
  if (!current) throw notFound(`Nessuna rendicontazione dell\u2019Ambito ${ats} per il periodo ${period}.`);
  const staleOrDone = (latest: CurrentVersion): HttpError =>
    latest.version !== body.version
      ? conflict(
          'STALE_VERSION',
          `La versione ${body.version} non è quella corrente (${latest.version}): esaminare la versione corrente.`,
        )
      : conflict(
          'ALREADY_REVIEWED',
          `La versione ${latest.version} è già stata ${latest.status === 'APPROVED' ? 'approvata' : 'respinta'}: un nuovo esame richiede un nuovo invio.`,
        );
  if (current.version !== body.version || current.status !== 'SUBMITTED') throw staleOrDone(current);
  if (current.submittedBy === caller.sub) await refuseOwnSubmission(deps, caller, current, body, clientVersion);
  const review = { decision: body.decision, comment, reviewer: caller.sub, at: deps.now().toISOString() };
  const result = await deps.store.review({
    ats,
    period,
    version: body.version,
    review,
    audit: {
      ats,
      at: review.at,
      who: caller.sub,
      groups: [...caller.groups],
      what: body.decision === 'approve' ? 'APPROVE' : 'REJECT',
      period,
      version: body.version,
      sha256: current.sha256,
      clientVersion,
      comment,
    },
  });
  if (!result.ok) {
    const latest = await deps.store.getCurrent(ats, period);
    throw latest ? staleOrDone(latest) : notFound('Rendicontazione non trovata.');
  }
  const status = body.decision === 'approve' ? 'APPROVED' : 'REJECTED';
  return { receipt: receiptOf(current, status), review };
}

/** GET /v1/ats/{ats}/audit, oldest first, paginated. */
export async function getAudit(
  deps: AuditDeps,
  caller: Caller,
  ats: string,
  limitText: string | undefined,
  nextToken: string | undefined,
): Promise<{ ats: string; events: AuditEvent[]; nextToken: string | null }> {
  requireReadAts(caller, ats);
  let limit = 100;
  if (limitText !== undefined) {
    if (!/^\d{1,4}$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 1000) {
      throw badRequest('Parametro limit non valido: da 1 a 1000.', [{ path: 'limit', message: 'Da 1 a 1000.' }]);
    }
    limit = Number(limitText);
  }
  try {
    const page = await deps.store.listAudit(ats, { limit, ...(nextToken ? { nextToken } : {}) });
    return {
      ats,
      events: page.events.map(({ ats: _ats, ...event }) => ({ ...event, groups: [...event.groups] })),
      nextToken: page.nextToken,
    };
  } catch (error) {
    if (error instanceof InvalidPageTokenError) {
      throw badRequest('Parametro nextToken non valido: usare quello restituito dalla pagina precedente.', [
        { path: 'nextToken', message: 'Non valido.' },
      ]);
    }
    throw error;
  }
}
