/**
 * The HTTP API of contract.md as data: one entry per route, one handler module per route. The local stack mounts
 * these on its HTTPS server and the CDK app turns each into a NodejsFunction and an HTTP API route, so the two never
 * disagree on paths or authorization. What a function may do with the table is not declared here: the CDK app derives
 * it from the handler's code (infra/table-access.ts).
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT';

export interface RouteDef {
  /** Stable id, also the handler's file name: functions/handlers/<id>.ts exporting `handler`. */
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway path template. */
  readonly path: string;
  /** False only for GET /v1/health: the JWT authorizer is on every other route. */
  readonly authorized: boolean;
  /** Whether the handler reads the ISTAT reference data (copied into its bundle). */
  readonly needsReferenceData: boolean;
}

export const ROUTES: readonly RouteDef[] = [
  {
    id: 'health',
    method: 'GET',
    path: '/v1/health',
    authorized: false,
    needsReferenceData: false,
  },
  {
    id: 'listTemplates',
    method: 'GET',
    path: '/v1/templates',
    authorized: true,
    needsReferenceData: false,
  },
  {
    id: 'getTemplate',
    method: 'GET',
    path: '/v1/templates/{id}/{version}',
    authorized: true,
    needsReferenceData: false,
  },
  {
    id: 'validate',
    method: 'POST',
    path: '/v1/validate',
    authorized: true,
    needsReferenceData: true,
  },
  {
    id: 'putSubmission',
    method: 'PUT',
    path: '/v1/ats/{ats}/submissions/{period}',
    authorized: true,
    needsReferenceData: true,
  },
  {
    id: 'getSubmission',
    method: 'GET',
    path: '/v1/ats/{ats}/submissions/{period}',
    authorized: true,
    needsReferenceData: false,
  },
  {
    id: 'getSubmissionDocument',
    method: 'GET',
    path: '/v1/ats/{ats}/submissions/{period}/document',
    authorized: true,
    needsReferenceData: false,
  },
  {
    id: 'reviewSubmission',
    method: 'POST',
    path: '/v1/ats/{ats}/submissions/{period}/review',
    authorized: true,
    needsReferenceData: false,
  },
  {
    id: 'getAudit',
    method: 'GET',
    path: '/v1/ats/{ats}/audit',
    authorized: true,
    needsReferenceData: false,
  },
  {
    id: 'putRegionAts',
    method: 'PUT',
    path: '/v1/regions/{region}/ats/{ats}',
    authorized: true,
    needsReferenceData: true,
  },
  {
    id: 'listRegionAts',
    method: 'GET',
    path: '/v1/regions/{region}/ats',
    authorized: true,
    needsReferenceData: false,
  },
  {
    id: 'consolidated',
    method: 'GET',
    path: '/v1/regions/{region}/consolidated',
    authorized: true,
    needsReferenceData: true,
  },
];
