import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import type { Group } from '../../shared/contract/api.ts';
import { forbidden, unauthorized } from './http.ts';

/** Who is calling, read from the claims the JWT authorizer verified. */
export interface Caller {
  readonly sub: string;
  readonly groups: readonly Group[];
  /** custom:ats, for ats-operator. */
  readonly ats: string | null;
  /** custom:region, for region-reviewer. */
  readonly region: string | null;
}

/**
 * The groups as values, without importing the contract's schemas at run time: their top-level zod calls would not be
 * tree-shaken and cost every function ~10 KB. The type check keeps this list equal to the contract's.
 */
const KNOWN_GROUPS = ['ats-operator', 'region-reviewer', 'national-admin'] as const satisfies readonly Group[];
type Exhaustive<T extends never> = T;
export type _AllGroupsKnown = Exhaustive<Exclude<Group, (typeof KNOWN_GROUPS)[number]>>;

/**
 * API Gateway's HTTP API JWT authorizer flattens array claims into one string, "[ats-operator region-reviewer]"; a
 * token signed elsewhere may carry a real array or a plain string. All three forms mean the same list.
 */
export function parseGroups(value: unknown): Group[] {
  let names: string[] = [];
  if (Array.isArray(value)) {
    names = value.filter((item): item is string => typeof item === 'string');
  } else if (typeof value === 'string') {
    names = value
      .replace(/^\[|\]$/g, '')
      .split(/[\s,]+/)
      .map((name) => name.replace(/^"|"$/g, ''));
  }
  return KNOWN_GROUPS.filter((group) => names.includes(group));
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export function callerOf(event: APIGatewayProxyEventV2WithJWTAuthorizer): Caller {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  const sub = text(claims?.sub);
  if (!claims || !sub) throw unauthorized();
  return {
    sub,
    groups: parseGroups(claims['cognito:groups']),
    ats: text(claims['custom:ats']),
    region: text(claims['custom:region']),
  };
}

/** The Region of an ATS is the RR of its code ATS-RR-NNN; a registration must agree with it (putRegionAts). */
export function regionOfAts(ats: string): string {
  return ats.slice(4, 6);
}

export const isAdmin = (caller: Caller): boolean => caller.groups.includes('national-admin');
export const isOperatorOf = (caller: Caller, ats: string): boolean =>
  caller.groups.includes('ats-operator') && caller.ats === ats;
export const isReviewerOf = (caller: Caller, region: string): boolean =>
  caller.groups.includes('region-reviewer') && caller.region === region;

/** Who may read an ATS's submissions and audit trail: its operator, its Region's reviewer, a national admin. */
export function mayReadAts(caller: Caller, ats: string): boolean {
  return isOperatorOf(caller, ats) || isReviewerOf(caller, regionOfAts(ats)) || isAdmin(caller);
}

export function requireReadAts(caller: Caller, ats: string): void {
  if (!mayReadAts(caller, ats)) throw forbidden(`Non si è autorizzati a consultare l\u2019Ambito ${ats}.`);
}

export function requireOperatorOf(caller: Caller, ats: string): void {
  if (!isOperatorOf(caller, ats)) {
    throw forbidden(`Solo un operatore dell\u2019Ambito ${ats} può inviarne la rendicontazione.`);
  }
}

export function requireReviewerOf(caller: Caller, region: string): void {
  if (!isReviewerOf(caller, region)) {
    throw forbidden(`Solo un revisore della Regione ${region} può esaminare questa rendicontazione.`);
  }
}

export function requireRegionAccess(caller: Caller, region: string): void {
  if (!isReviewerOf(caller, region) && !isAdmin(caller)) {
    throw forbidden(`Non si è autorizzati a operare sulla Regione ${region}.`);
  }
}
