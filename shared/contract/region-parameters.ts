import * as z from 'zod/mini';
import { regionParametersReadSchema, regionParametersSchema } from '../checks/params-schema.ts';

/*
 * GET and PUT /v1/regions/{region}/parameters (an addition to contract v1.1): the Region's overrides of the check
 * parameters and severities. Their own module, like the other small bodies, so the two handlers build only these.
 */

/** PUT body: the whole set of overrides (what is left out takes the default). `If-Match: <version>` when replacing. */
export const putRegionParametersBodySchema = z.strictObject({
  parameters: regionParametersSchema,
});
export type PutRegionParametersBody = z.infer<typeof putRegionParametersBodySchema>;

/** One change of the Region's parameters, newest first in `history`. */
export const regionParametersChangeSchema = z.object({
  at: z.string(),
  /** The caller's `sub`: a pseudonymous id, never a name. */
  who: z.string(),
  groups: z.array(z.string()),
  version: z.number(),
  /** sha256 of the canonical JSON of the overrides set by this change. */
  sha256: z.string(),
  /** The parameters this change added, changed or removed, by name. */
  changed: z.array(z.string()),
  clientVersion: z.nullable(z.string()),
});
export type RegionParametersChange = z.infer<typeof regionParametersChangeSchema>;

/** GET → 200, PUT → 200 (201 for the first set). `version` 0 and no overrides: the Region uses every default. */
export const regionParametersResponseSchema = z.object({
  region: z.string(),
  version: z.number(),
  parameters: regionParametersReadSchema,
  updatedAt: z.nullable(z.string()),
  updatedBy: z.nullable(z.string()),
  /** The latest changes, newest first (at most 20): the audit trail of the Region's parameters. */
  history: z.array(regionParametersChangeSchema),
});
export type RegionParametersResponse = z.infer<typeof regionParametersResponseSchema>;

export function regionParametersPath(region: string): string {
  return `/v1/regions/${encodeURIComponent(region)}/parameters`;
}
