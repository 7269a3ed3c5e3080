import * as z from 'zod/mini';

/*
 * The review body alone (api.ts re-exports it): reviewSubmission imports this module, so its cold import builds this
 * schema and not every response schema of api.ts (esbuild cannot drop top-level zod calls).
 */

const reviewComment = z.string().check(z.maxLength(4000, 'Commento troppo lungo (massimo 4000 caratteri).'));

/** POST /v1/ats/{ats}/submissions/{period}/review body. A rejection needs a comment (enforced by the function). */
export const reviewBodySchema = z.strictObject({
  decision: z.enum(['approve', 'reject'], { error: 'La decisione deve essere "approve" o "reject".' }),
  comment: z.optional(z.nullable(reviewComment)),
  version: z
    .number({ error: 'Indicare la versione esaminata (version).' })
    .check(z.int('La versione deve essere un numero intero.'), z.gte(1, 'La versione parte da 1.')),
});
export type ReviewBody = z.infer<typeof reviewBodySchema>;
