import type { AuditEvent, GetSubmissionResponse, ReviewBody, VersionSummary } from '../../shared/contract/api.ts';
import { type Caller, regionOfAts, requireReadAts, requireReviewerOf } from '../lib/claims.ts';
import { badRequest, conflict, type HttpError, notFound } from '../lib/http.ts';
import { type CurrentVersion, InvalidPageTokenError, type StoredVersion } from '../store/types.ts';
import type { Deps } from './deps.ts';
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

/** GET /v1/ats/{ats}/submissions/{period}[?version=N]. */
export async function getSubmission(
  deps: Deps,
  caller: Caller,
  ats: string,
  period: string,
  requested: number | undefined,
): Promise<GetSubmissionResponse> {
  requireReadAts(caller, ats);
  const [current, versions] = await Promise.all([
    deps.store.getCurrent(ats, period),
    deps.store.listVersions(ats, period),
  ]);
  if (!current) throw notFound(`Nessuna rendicontazione dell\u2019Ambito ${ats} per il periodo ${period}.`);
  const isCurrent = requested === undefined || requested === current.version;
  const shown = isCurrent ? current : await deps.store.getVersion(ats, period, requested);
  if (!shown) throw notFound(`La versione ${requested} non esiste per l\u2019Ambito ${ats} e il periodo ${period}.`);
  const status = isCurrent
    ? current.status
    : (versions.find((entry) => entry.version === requested)?.status ?? 'SUBMITTED');
  return {
    receipt: receiptOf(shown, status),
    status,
    findings: [...shown.findings],
    current: isCurrent,
    currentVersion: current.version,
    review: shown.review,
    versions: versions.map(versionSummary),
    submission: JSON.parse(shown.body) as unknown,
  };
}

/** POST …/review: SUBMITTED → APPROVED or REJECTED, only on the current version. */
export async function reviewSubmission(
  deps: Deps,
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
  deps: Deps,
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
