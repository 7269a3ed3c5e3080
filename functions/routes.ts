/**
 * The HTTP API of contract.md as data: one entry per route, one handler module per route. The local stack mounts
 * these on its HTTPS server and the CDK app turns each into a NodejsFunction and an HTTP API route, so the two never
 * disagree on paths, authorization or the grants a function needs.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT';

/** What a function may do with the table: the CDK app grants exactly this (least privilege). */
export type TableAccess = 'none' | 'read' | 'read-write';

export interface RouteDef {
  /** Stable id, also the handler's file name: functions/handlers/<id>.ts exporting `handler`. */
  readonly id: string;
  readonly method: HttpMethod;
  /** API Gateway path template. */
  readonly path: string;
  /** False only for GET /v1/health: the JWT authorizer is on every other route. */
  readonly authorized: boolean;
  readonly tableAccess: TableAccess;
  /** Whether the handler reads the ISTAT reference data (copied into its bundle). */
  readonly needsReferenceData: boolean;
}

export const ROUTES: readonly RouteDef[] = [
  {
    id: 'health',
    method: 'GET',
    path: '/v1/health',
    authorized: false,
    tableAccess: 'none',
    needsReferenceData: false,
  },
  {
    id: 'listTemplates',
    method: 'GET',
    path: '/v1/templates',
    authorized: true,
    tableAccess: 'none',
    needsReferenceData: false,
  },
  {
    id: 'getTemplate',
    method: 'GET',
    path: '/v1/templates/{id}/{version}',
    authorized: true,
    tableAccess: 'none',
    needsReferenceData: false,
  },
  {
    id: 'validate',
    method: 'POST',
    path: '/v1/validate',
    authorized: true,
    tableAccess: 'read',
    needsReferenceData: true,
  },
  {
    id: 'putSubmission',
    method: 'PUT',
    path: '/v1/ats/{ats}/submissions/{period}',
    authorized: true,
    tableAccess: 'read-write',
    needsReferenceData: true,
  },
  {
    id: 'getSubmission',
    method: 'GET',
    path: '/v1/ats/{ats}/submissions/{period}',
    authorized: true,
    tableAccess: 'read',
    needsReferenceData: false,
  },
  {
    id: 'reviewSubmission',
    method: 'POST',
    path: '/v1/ats/{ats}/submissions/{period}/review',
    authorized: true,
    tableAccess: 'read-write',
    needsReferenceData: false,
  },
  {
    id: 'getAudit',
    method: 'GET',
    path: '/v1/ats/{ats}/audit',
    authorized: true,
    tableAccess: 'read',
    needsReferenceData: false,
  },
  {
    id: 'putRegionAts',
    method: 'PUT',
    path: '/v1/regions/{region}/ats/{ats}',
    authorized: true,
    tableAccess: 'read-write',
    needsReferenceData: true,
  },
  {
    id: 'listRegionAts',
    method: 'GET',
    path: '/v1/regions/{region}/ats',
    authorized: true,
    tableAccess: 'read',
    needsReferenceData: false,
  },
  {
    id: 'consolidated',
    method: 'GET',
    path: '/v1/regions/{region}/consolidated',
    authorized: true,
    tableAccess: 'read',
    needsReferenceData: true,
  },
];
