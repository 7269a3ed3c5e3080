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
 * The group names, exactly as they reach a handler. API Gateway's HTTP API JWT authorizer hands a Lambda every array
 * claim flattened into one string, the names inside brackets separated by single spaces: `[ats-operator
 * region-reviewer]` (measured against a real HTTP API and Cognito pool: floci-io/floci#2011,
 * aws-solutions-library-samples/guidance-for-claude-code-with-amazon-bedrock#802). A direct invocation may carry
 * the JSON array itself. A Cognito group name holds no whitespace but may hold commas and quotes (its pattern is
 * letters, marks, symbols, numbers and punctuation), so the names are split on whitespace only and taken as they are:
 * `[foo,national-admin]` is the one group `foo,national-admin`, and `["national-admin"]` is the group named with its
 * quotes — neither is an admin. A bare string without brackets is one name.
 */
export function parseGroups(value: unknown): Group[] {
  const names = groupNames(value);
  return KNOWN_GROUPS.filter((group) => names.includes(group));
}

function groupNames(value: unknown): readonly string[] {
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  if (typeof value !== 'string') return [];
  if (!value.startsWith('[') || !value.endsWith(']')) return [value];
  return value
    .slice(1, -1)
    .split(/\s+/)
    .filter((name) => name !== '');
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
