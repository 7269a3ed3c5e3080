import { boundFindings, FINDINGS_PER_RULE, type RuleCounts } from '../../shared/checks/bound.ts';
import { contributionOf } from '../../shared/checks/derived.ts';
import { parseIntake, validateSubmission } from '../../shared/checks/engine.ts';
import { type CheckParams, withParams } from '../../shared/checks/params.ts';
import { givesReason } from '../../shared/checks/rules/s.ts';
import type { Finding, NormalizedSubmission } from '../../shared/checks/types.ts';
import type { Receipt, ValidateResponse } from '../../shared/contract/api.ts';
import { CanonicalJsonError, canonicalJson } from '../../shared/contract/canonical.ts';
import type { Submission } from '../../shared/contract/submission.ts';
import { SHEET_IDS } from '../../shared/template/types.ts';
import { type Caller, mayReadAts, regionOfAts, requireOperatorOf } from '../lib/claims.ts';
import { sha256HexOf } from '../lib/hash.ts';
import { badRequest, conflict, HttpError } from '../lib/http.ts';
import { parseIfMatch } from '../lib/if-match.ts';
import { LAMBDA_PAYLOAD_BYTES, RESULT_ENVELOPE_BYTES, responseFits } from '../lib/lambda-limits.ts';
import type { JsonBody } from '../lib/request.ts';
import type { AtsSummary, IdempotencyRecord, StoredVersion, SubmissionContext } from '../store/types.ts';
import type { SubmissionDeps as Deps, ValidateDeps } from './deps.ts';
import { idempotencyScope } from './idempotency.ts';
import { interimBefore, previousPeriod } from './periods.ts';
import { receiptOf } from './receipts.ts';

/** The checks' parameters: the defaults with the Region's overrides (PUT/GET /v1/regions/{region}/parameters). */
function paramsOf(context: Pick<SubmissionContext, 'parameters'>): CheckParams {
  return withParams(context.parameters?.parameters);
}

/** On PUT a re-submission without a reason (S.4) blocks: the Region must know why a figure changed. */
function putParamsOf(context: Pick<SubmissionContext, 'parameters'>): CheckParams {
  const params = paramsOf(context);
  return { ...params, severityOverrides: { ...params.severityOverrides, 'S.4': 'error' } };
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,200}$/;

function storedSubmission(version: { readonly body: string | undefined } | undefined): Submission | undefined {
  return version?.body === undefined ? undefined : (JSON.parse(version.body) as Submission);
}

export function summaryOf(submission: NormalizedSubmission, params: CheckParams = withParams()): AtsSummary {
  const contribution = contributionOf(submission, params);
  return {
    population: contribution.population,
    fteAsTi: Math.round(contribution.fte * 10_000) / 10_000,
    contribution: contribution.contribution,
    rows: SHEET_IDS.reduce((total, sheet) => total + submission.sheets[sheet].length, 0),
  };
}

/**
 * What the cross-period checks compare with: the latest earlier snapshot for the cumulative amounts (the same year's
 * 31/08 when stored, else the previous annual return) and the previous annual return for year-on-year checks.
 */
function crossPeriodOptions(context: Pick<SubmissionContext, 'previous' | 'interim'>): {
  previous?: Submission;
  previousAnnual?: Submission;
} {
  const annual = storedSubmission(context.previous);
  // Without a 31/08 snapshot the previous annual return serves both; the engine takes it as previousAnnual itself,
  // so it is parsed and read once.
  if (!context.interim) return annual ? { previous: annual } : {};
  return { previous: storedSubmission(context.interim), ...(annual ? { previousAnnual: annual } : {}) };
}

/**
 * Every stored version must be readable back: GET …/document answers its canonical JSON as it is, so that JSON must
 * fit a response (5 MB, and Lambda's 6 MB result once every quote and backslash is escaped). A body within the
 * request's 5 MB can still fail it — a quote-heavy one escapes by more than a fifth — and is refused here with this
 * API's 413 before anything is stored, rather than stored and then unreadable.
 */
function requireRetrievable(canonical: string): void {
  if (responseFits([canonical])) return;
  const mb = (Buffer.byteLength(canonical, 'utf8') / (1024 * 1024)).toLocaleString('it-IT', {
    maximumFractionDigits: 1,
  });
  throw new HttpError(
    413,
    'PAYLOAD_TOO_LARGE',
    `Rendicontazione troppo grande per essere conservata e restituita: ${mb} MB di JSON, con virgolette e barre ` +
      'rovesciate che nella risposta occupano il doppio, superano il limite di 5 MB (6 MB nel formato di risposta). ' +
      'Ridurre i dati o i testi prima di inviarla.',
  );
}

/**
 * Canonical JSON is at most 5.25 times as long as the JSON text it comes from, counted in bytes against the text's
 * UTF-16 length: only numbers grow (`1e20`, 4 characters, is written out as 21), strings and whitespace only shrink,
 * and a non-ASCII character is at most 3 bytes. Escaping then at most doubles it. A text shorter than this cannot
 * fail requireRetrievable, so validate canonicalises only bodies above it (PUT always does, for the hash).
 */
const ALWAYS_RETRIEVABLE_TEXT_LENGTH = Math.floor((LAMBDA_PAYLOAD_BYTES - RESULT_ENVELOPE_BYTES) / (5.25 * 2));

/** validate answers what PUT would: the same 413 for a submission that could be stored but not read back. */
function requireRetrievableText(body: JsonBody): void {
  if (body.text.length <= ALWAYS_RETRIEVABLE_TEXT_LENGTH) return;
  let canonical: string;
  try {
    canonical = canonicalJson(body.value);
  } catch (error) {
    // A value JSON cannot carry (1e309 parses as Infinity): the schema check reports it.
    if (error instanceof CanonicalJsonError) return;
    throw error;
  }
  requireRetrievable(canonical);
}

/**
 * The bounded findings of a validation run with keepPerRule (the engine kept what the bound can take, counting all):
 * the same findings as bounding the full list, with the full counts per rule.
 */
function boundedOutcome(outcome: {
  readonly findings: readonly Finding[];
  readonly countsByRule: Record<string, RuleCounts>;
  readonly summary: { readonly errors: number; readonly warnings: number };
}): { findings: Finding[]; countsByRule: Record<string, RuleCounts>; truncated: boolean } {
  const bounded = boundFindings(outcome.findings);
  const total = outcome.summary.errors + outcome.summary.warnings;
  return { findings: bounded.findings, countsByRule: outcome.countsByRule, truncated: bounded.findings.length < total };
}

/** POST /v1/validate: every check, with the earlier periods' current versions when the caller may read that ATS. */
export async function validateForCaller(deps: ValidateDeps, caller: Caller, body: JsonBody): Promise<ValidateResponse> {
  requireRetrievableText(body);
  // The envelope alone says which previous period to fetch: the checks then run once, with it when there is one.
  const intake = parseIntake(body.value);
  if (!intake.ok) throw badRequest('La rendicontazione non rispetta lo schema del modello.', intake.issues, 'SCHEMA');
  const { ats, period } = intake.submission;
  // The earlier periods only for a caller who may read that ATS; the Region's parameters always, so validate finds
  // what PUT will find.
  const readable = mayReadAts(caller, ats);
  const earlier = await deps.store.getContext({
    ats,
    period,
    previousPeriod: readable ? previousPeriod(period) : null,
    interimPeriod: readable ? interimBefore(period) : null,
    region: regionOfAts(ats),
    withRegistration: false,
    withParameters: true,
    currentBody: false,
  });
  const outcome = validateSubmission(intake.submission, {
    comuni: deps.comuni(),
    now: deps.now(),
    ...crossPeriodOptions(earlier),
    params: paramsOf(earlier),
    keepPerRule: FINDINGS_PER_RULE,
  });
  const snapshot = earlier.interim ?? earlier.previous;
  if (!outcome.ok) throw badRequest('La rendicontazione non rispetta lo schema del modello.', outcome.issues, 'SCHEMA');
  const bounded = boundedOutcome(outcome);
  return {
    findings: bounded.findings,
    summary: { ...outcome.summary, countsByRule: bounded.countsByRule, truncated: bounded.truncated },
    previousPeriod: snapshot ? { period: snapshot.period, version: snapshot.version } : null,
  };
}

export interface PutInput {
  readonly caller: Caller;
  readonly ats: string;
  readonly period: string;
  readonly body: JsonBody;
  readonly idempotencyKey: string | undefined;
  readonly ifMatch: string | undefined;
  readonly clientVersion: string | null;
}

export interface PutOutcome {
  readonly receipt: Receipt;
  /** True when an earlier request with the same Idempotency-Key already stored this version. */
  readonly replayed: boolean;
}

// If-Match's reading is shared with the Region's parameters (functions/lib/if-match.ts).
export { parseIfMatch } from '../lib/if-match.ts';

async function replayOrRefuse(deps: Deps, scope: string, requestHash: string): Promise<PutOutcome | undefined> {
  return checkReplay(deps, await deps.store.getIdempotency(scope), requestHash);
}

/**
 * The receipt a replay answers. The idempotency record keeps the receipt without its findings (10,000 findings
 * would not fit a 400 KB item, nor should a replay ever be larger than the first answer): they are read back from
 * the version it stored and bounded again, which gives the same list. Records written before findings were bounded
 * carry them inline: bounded too.
 */
async function checkReplay(
  deps: Deps,
  existing: IdempotencyRecord | undefined,
  requestHash: string,
): Promise<PutOutcome | undefined> {
  if (!existing) return undefined;
  if (existing.requestHash !== requestHash) {
    throw conflict(
      'IDEMPOTENCY_KEY_REUSED',
      'La chiave Idempotency-Key è già stata usata per un invio diverso: generare una nuova chiave per ogni nuovo invio.',
    );
  }
  const { receipt } = existing;
  if (!existing.findingsInVersion) {
    const bounded = boundFindings(receipt.findings);
    return {
      receipt: {
        ...receipt,
        findings: bounded.findings,
        findingsBound: { countsByRule: bounded.countsByRule, truncated: bounded.truncated },
      },
      replayed: true,
    };
  }
  const [stored] = await deps.store.getVersions([
    { ats: receipt.ats, period: receipt.period, version: receipt.version },
  ]);
  const findings = stored ? receiptOf(stored, receipt.status).findings : [];
  return { receipt: { ...receipt, findings }, replayed: true };
}

/** PUT /v1/ats/{ats}/submissions/{period}: checks, then stores a new immutable version and moves "current" to it. */
export async function putSubmission(deps: Deps, input: PutInput): Promise<PutOutcome> {
  const { caller, ats, period, body } = input;
  requireOperatorOf(caller, ats);
  if (input.idempotencyKey === undefined || input.idempotencyKey === '') {
    throw badRequest('Intestazione Idempotency-Key mancante: ogni invio deve avere una chiave univoca (es. un UUID).', [
      { path: 'Idempotency-Key', message: 'Obbligatoria.' },
    ]);
  }
  if (!IDEMPOTENCY_KEY.test(input.idempotencyKey)) {
    throw badRequest('Intestazione Idempotency-Key non valida: da 8 a 200 caratteri stampabili, senza spazi.', [
      { path: 'Idempotency-Key', message: 'Formato non valido.' },
    ]);
  }
  const expected = parseIfMatch(input.ifMatch);
  if (expected === 'invalid') {
    throw badRequest('Intestazione If-Match non valida: indicare il numero della versione corrente (es. 3).', [
      { path: 'If-Match', message: 'Atteso un numero di versione.' },
    ]);
  }

  // The envelope first, so a wrong path is reported before anything is read, and only a body the intake schema
  // accepts is canonicalised and hashed: PUT answers the same 400 as validate for anything it refuses.
  const intake = parseIntake(body.value);
  if (!intake.ok) throw badRequest('La rendicontazione non rispetta lo schema del modello.', intake.issues, 'SCHEMA');
  const issues = [];
  if (intake.submission.ats !== ats) {
    issues.push({ path: 'ats', message: `Il corpo indica ${intake.submission.ats}, il percorso ${ats}.` });
  }
  if (intake.submission.period !== period) {
    issues.push({ path: 'period', message: `Il corpo indica ${intake.submission.period}, il percorso ${period}.` });
  }
  if (issues.length > 0) {
    throw badRequest('Ambito o periodo del corpo diversi da quelli dell\u2019indirizzo.', issues, 'PATH_MISMATCH');
  }
  const canonical = canonicalJson(body.value);
  requireRetrievable(canonical);
  const sha256 = sha256HexOf(canonical);
  const scope = idempotencyScope(caller.sub, input.idempotencyKey);
  const requestHash = sha256HexOf(`${ats}|${period}|${sha256}`);
  const now = deps.now();

  // One round trip reads everything the decision needs: current, previous period, registration, idempotency record.
  const context = await deps.store.getContext({
    ats,
    period,
    previousPeriod: previousPeriod(period),
    interimPeriod: interimBefore(period),
    region: regionOfAts(ats),
    withRegistration: true,
    withParameters: true,
    idempotencyScope: scope,
    // S.4 compares with the version being replaced only when the new one gives no reason.
    currentBody: !givesReason(intake.submission.comment),
  });
  const replay = await checkReplay(deps, context.idempotency, requestHash);
  if (replay) return replay;
  const { current } = context;
  if (current && expected === null) {
    throw conflict(
      'IF_MATCH_REQUIRED',
      `Esiste già la versione ${current.version} per questo periodo: per sostituirla indicare If-Match: ${current.version}.`,
    );
  }
  if (expected !== null && expected !== (current?.version ?? 0)) {
    throw conflict(
      'STALE_VERSION',
      current
        ? `La versione indicata in If-Match (${expected}) non è più quella corrente (${current.version}): ricaricare e riprovare.`
        : `La versione indicata in If-Match (${expected}) non esiste: per il periodo non è stato ancora inviato nulla.`,
    );
  }

  const validateOptions = {
    comuni: deps.comuni(),
    now,
    ...crossPeriodOptions(context),
    earlierVersion: () => storedSubmission(current),
    registered: context.registered,
    params: putParamsOf(context),
  };
  let outcome = validateSubmission(body.value, { ...validateOptions, keepPerRule: FINDINGS_PER_RULE });
  if (!outcome.ok) throw badRequest('La rendicontazione non rispetta lo schema del modello.', outcome.issues, 'SCHEMA');
  if (outcome.summary.errors === 0 && outcome.findings.length < outcome.summary.warnings) {
    // A version keeps every finding (GET counts them again from it): the rare return with more than 1,000 warnings of
    // one rule and no error is checked again, keeping all. A refused one never needs it.
    outcome = validateSubmission(body.value, validateOptions);
    if (!outcome.ok)
      throw badRequest('La rendicontazione non rispetta lo schema del modello.', outcome.issues, 'SCHEMA');
  }
  if (outcome.summary.errors > 0) {
    const bounded = boundedOutcome(outcome);
    throw new HttpError(
      422,
      'VALIDATION_FAILED',
      `La rendicontazione contiene ${outcome.summary.errors} errori bloccanti: correggerli e inviare di nuovo.`,
      [],
      bounded.findings,
      {},
      {
        errors: outcome.summary.errors,
        warnings: outcome.summary.warnings,
        countsByRule: bounded.countsByRule,
        truncated: bounded.truncated,
      },
    );
  }

  const version: StoredVersion = {
    ats,
    period,
    version: (current?.version ?? 0) + 1,
    sha256,
    receivedAt: now.toISOString(),
    template: outcome.summary.template,
    templateVersion: intake.submission.templateVersion,
    findings: outcome.findings,
    errors: outcome.summary.errors,
    warnings: outcome.summary.warnings,
    comment: intake.submission.comment ?? null,
    submittedBy: caller.sub,
    clientVersion: input.clientVersion,
    summary: summaryOf(outcome.submission, paramsOf(context)),
    body: canonical,
  };
  const receipt = receiptOf(version, 'SUBMITTED');
  const result = await deps.store.commitVersion({
    version,
    expectedVersion: current?.version ?? null,
    // The record keeps the receipt without findings (a replay reads them from the version): it fits any item.
    idempotency: { scope, requestHash, receipt: { ...receipt, findings: [] }, findingsInVersion: true },
    audit: {
      ats,
      at: version.receivedAt,
      who: caller.sub,
      groups: [...caller.groups],
      what: 'SUBMIT',
      period,
      version: version.version,
      sha256,
      clientVersion: input.clientVersion,
      comment: version.comment,
    },
  });
  if (result.ok) return { receipt, replayed: false };
  if (result.reason === 'idempotency') {
    const raced = await replayOrRefuse(deps, scope, requestHash);
    if (raced) return raced;
  }
  throw conflict(
    'STALE_VERSION',
    'Un altro invio per lo stesso Ambito e periodo è stato registrato nel frattempo: ricaricare la versione corrente e riprovare.',
  );
}
