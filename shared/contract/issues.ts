import type * as z from 'zod/mini';

/**
 * The contract's `issues` from a zod error, without the contract's schemas: a function that parses only its own small
 * body (a review, a registration) imports this and not submission.ts, whose top-level zod calls would build the
 * submission schema at every cold start. submission.ts re-exports it.
 */

export interface SchemaIssue {
  readonly path: string;
  readonly message: string;
}

/** zod issues as the contract's `issues`: a dotted path and an Italian message. */
export function toSchemaIssues(error: z.core.$ZodError): SchemaIssue[] {
  return error.issues.slice(0, 50).map((issue) => ({
    path: issue.path.map(String).join('.') || '(radice)',
    message: italianIssueMessage(issue),
  }));
}

/** A message our schemas wrote (Italian); the vowels as \u escapes keep the functions' bundles ASCII (BUNDLE_CHARSET). */
const OUR_ITALIAN_MESSAGE =
  /[\u00e0\u00e8\u00e9\u00ec\u00f2\u00f9]|Indicare|non valid|non previst|Troppe|troppo|deve|ammess|Numero/;

function italianIssueMessage(issue: z.core.$ZodIssue): string {
  // Our schemas carry Italian messages; zod's own English defaults only reach here for shapes we did not foresee.
  if (OUR_ITALIAN_MESSAGE.test(issue.message)) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `Tipo non valido: atteso ${issue.expected}.`;
    case 'unrecognized_keys':
      return `Chiavi non previste: ${issue.keys
        .slice(0, 10)
        .map((key) => key.slice(0, 60))
        .join(', ')}${issue.keys.length > 10 ? ' e altre' : ''}.`;
    case 'invalid_key':
      // A record's key refused by its key schema, whose own (Italian) message says why.
      return issue.issues[0]?.message ?? 'Nome non previsto.';
    default:
      return 'Valore non valido.';
  }
}
