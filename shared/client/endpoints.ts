import * as z from 'zod/mini';
import {
  auditResponseSchema,
  consolidatedResponseSchema,
  getSubmissionResponseSchema,
  getTemplateResponseSchema,
  healthResponseSchema,
  listRegionAtsResponseSchema,
  listTemplatesResponseSchema,
  putRegionAtsResponseSchema,
  putSubmissionResponseSchema,
  reviewResponseSchema,
  validateResponseSchema,
} from '../contract/api.ts';
import type { RegionAtsBody } from '../contract/region-ats-body.ts';
import { type PutRegionParametersBody, regionParametersResponseSchema } from '../contract/region-parameters.ts';
import type { ReviewBody } from '../contract/review-body.ts';
import type { RouteId } from '../contract/routes.ts';
import type { Submission } from '../contract/submission.ts';

/**
 * What each route of shared/contract/routes.ts takes and answers, for the API client: the request body's type, the
 * query parameters the handler reads, and the schema every success body is parsed with (contract.md, v1.1). Keyed by
 * route id with `satisfies`, so a route added to the table without its entry here does not type-check.
 */

export interface Endpoint<Body, Response> {
  /** Never called: carries the body's type (bodies are validated by the server, which answers in Italian). */
  readonly body?: (value: Body) => void;
  readonly query: readonly string[];
  readonly response: z.ZodMiniType<Response>;
}

const endpoint = <Body, Response>(response: z.ZodMiniType<Response>, query: readonly string[] = []) =>
  ({ response, query }) as Endpoint<Body, Response>;

/** The stored document is the submission exactly as stored (its sha256 is the receipt's): not reshaped here. */
const storedDocumentSchema = z.unknown();

export const ENDPOINTS = {
  health: endpoint<undefined, z.infer<typeof healthResponseSchema>>(healthResponseSchema),
  listTemplates: endpoint<undefined, z.infer<typeof listTemplatesResponseSchema>>(listTemplatesResponseSchema),
  getTemplate: endpoint<undefined, z.infer<typeof getTemplateResponseSchema>>(getTemplateResponseSchema, ['format']),
  validate: endpoint<Submission, z.infer<typeof validateResponseSchema>>(validateResponseSchema),
  putSubmission: endpoint<Submission, z.infer<typeof putSubmissionResponseSchema>>(putSubmissionResponseSchema),
  getSubmission: endpoint<undefined, z.infer<typeof getSubmissionResponseSchema>>(getSubmissionResponseSchema, [
    'version',
    'historyLimit',
    'historyPageToken',
  ]),
  getSubmissionDocument: endpoint<undefined, unknown>(storedDocumentSchema, ['version']),
  reviewSubmission: endpoint<ReviewBody, z.infer<typeof reviewResponseSchema>>(reviewResponseSchema),
  getAudit: endpoint<undefined, z.infer<typeof auditResponseSchema>>(auditResponseSchema, ['limit', 'nextToken']),
  putRegionAts: endpoint<RegionAtsBody, z.infer<typeof putRegionAtsResponseSchema>>(putRegionAtsResponseSchema),
  listRegionAts: endpoint<undefined, z.infer<typeof listRegionAtsResponseSchema>>(listRegionAtsResponseSchema),
  getRegionParameters: endpoint<undefined, z.infer<typeof regionParametersResponseSchema>>(
    regionParametersResponseSchema,
  ),
  putRegionParameters: endpoint<PutRegionParametersBody, z.infer<typeof regionParametersResponseSchema>>(
    regionParametersResponseSchema,
  ),
  consolidated: endpoint<undefined, z.infer<typeof consolidatedResponseSchema>>(consolidatedResponseSchema, [
    'period',
    'pageToken',
  ]),
} satisfies { readonly [Id in RouteId]: Endpoint<never, unknown> };

export type Endpoints = typeof ENDPOINTS;
export type BodyOf<Id extends RouteId> = Endpoints[Id] extends Endpoint<infer Body, unknown> ? Body : never;
export type ResponseOf<Id extends RouteId> = Endpoints[Id] extends Endpoint<never, infer Response> ? Response : never;
