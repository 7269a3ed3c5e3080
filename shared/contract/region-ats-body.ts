import * as z from 'zod/mini';
import { ISTAT_COMUNE } from './codes.ts';

/*
 * The registration body alone (api.ts re-exports it): putRegionAts imports this module, so its cold import builds this
 * schema and not every response schema of api.ts (esbuild cannot drop top-level zod calls).
 */

/** PUT /v1/regions/{region}/ats/{ats} body. */
export const regionAtsBodySchema = z.strictObject({
  name: z
    .string({ error: 'Indicare la denominazione dell\u2019Ambito (name).' })
    .check(
      z.minLength(1, 'Indicare la denominazione dell\u2019Ambito (name).'),
      z.maxLength(300, 'Denominazione troppo lunga.'),
    ),
  comuni: z
    .array(z.string().check(z.regex(ISTAT_COMUNE, 'Codice ISTAT del comune non valido: attese 6 cifre.')), {
      error: 'Indicare i comuni (codici ISTAT) dell\u2019Ambito.',
    })
    .check(z.minLength(1, 'Indicare almeno un comune.'), z.maxLength(500, 'Troppi comuni per un Ambito.')),
  enteGestoreCf: z.optional(
    z.string().check(z.regex(/^\d{11}$/, 'Codice fiscale dell\u2019ente gestore non valido: attese 11 cifre.')),
  ),
});
export type RegionAtsBody = z.infer<typeof regionAtsBodySchema>;
