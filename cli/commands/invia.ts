import { boundFindings, truncationNotes } from '../../shared/checks/bound.ts';
import { sortFindings } from '../../shared/checks/engine.ts';
import { apiBase, cliApiClient, failureMessage, newIdempotencyKey } from '../api.ts';
import { CliError, EXIT } from '../errors.ts';
import { findingLines, locate, receiptLines, summaryLine } from '../format.ts';
import { readWorkbookFile } from '../io.ts';
import { bearerToken } from '../session.ts';
import { readWorkbookStreaming } from '../xlsx/read-stream.ts';

export interface InviaOptions {
  readonly api: string;
  readonly commento?: string;
  readonly ambito?: string;
  readonly periodo?: string;
  readonly json?: boolean;
}

/**
 * Submits a workbook: reads it, asks for the current version (If-Match when one exists), then PUTs it with one
 * Idempotency-Key, reused on every retry so a lost response never stores the submission twice.
 */
export async function inviaCommand(file: string, options: InviaOptions): Promise<number> {
  const base = apiBase(options.api);
  const token = await bearerToken(base);
  const read = await readWorkbookStreaming(await readWorkbookFile(file), {
    ats: options.ambito,
    period: options.periodo,
  });
  if (read.findings.some((finding) => finding.severity === 'error')) {
    // One unreadable cell per row of a 100,000-row sheet is 100,000 findings: bounded as valida bounds them.
    const bounded = boundFindings(sortFindings(read.findings.slice(), read.template));
    const lines = ['Il file non è leggibile come modello:'];
    for (const line of findingLines(locate(bounded.findings, read.cells, read.template))) lines.push(line);
    for (const note of truncationNotes(bounded.findings, bounded.countsByRule, bounded.truncated)) lines.push(note);
    process.stdout.write(`${lines.join('\n')}\n`);
    return EXIT.findings;
  }
  const submission = { ...read.submission, ...(options.commento ? { comment: options.commento } : {}) };
  const { ats, period } = submission;
  const api = cliApiClient({ base, token });

  const current = await api.call('getSubmission', { params: { ats, period } });
  let ifMatch: string | undefined;
  if (current.kind === 'ok') {
    ifMatch = String(current.body.currentVersion);
  } else if (current.status !== 404) {
    throw new CliError(failureMessage(current));
  }

  const response = await api.call('putSubmission', {
    params: { ats, period },
    body: submission,
    headers: { 'idempotency-key': newIdempotencyKey(), ...(ifMatch ? { 'if-match': ifMatch } : {}) },
  });
  if (response.kind === 'ok') {
    const { receipt } = response.body;
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ receipt }, null, 2)}\n`);
    } else {
      const warnings = locate(sortFindings([...receipt.findings], read.template), read.cells, read.template);
      const lines = [...receiptLines(receipt)];
      if (warnings.length > 0) lines.push('Avvisi registrati con l’invio:', ...findingLines(warnings));
      lines.push(
        ...truncationNotes(receipt.findings, receipt.findingsBound?.countsByRule, receipt.findingsBound?.truncated),
      );
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return EXIT.ok;
  }
  if (response.status === 422) {
    const error = response.kind === 'error' ? response.body : undefined;
    const findings = error?.findings ?? [];
    const located = locate(sortFindings([...findings], read.template), read.cells, read.template);
    if (options.json) {
      const full = error?.summary;
      process.stdout.write(
        `${JSON.stringify({ rejected: true, findings: located, ...(full ? { summary: full } : {}) }, null, 2)}\n`,
      );
    } else {
      const summary = error?.summary;
      const errors = summary ? summary.errors : located.filter((finding) => finding.severity === 'error').length;
      const warnings = summary ? summary.warnings : located.length - errors;
      const rows = Object.values(submission.sheets).reduce((total, rows) => total + (rows?.length ?? 0), 0);
      process.stdout.write(
        `${[
          'Invio respinto: il file contiene errori.',
          'cella\tgravità\tregola\tmessaggio',
          ...findingLines(located),
          ...truncationNotes(located, summary?.countsByRule, summary?.truncated),
          summaryLine(errors, warnings, rows),
        ].join('\n')}\n`,
      );
    }
    return EXIT.findings;
  }
  if (response.status === 409) {
    throw new CliError(
      'Un altro invio per lo stesso Ambito e periodo è stato registrato nel frattempo: ripetere il comando.',
    );
  }
  throw new CliError(failureMessage(response));
}
