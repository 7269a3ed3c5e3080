/**
 * Who is signed in, read from the access token's claims for the task pane to show (never verified here: the API
 * verifies every call). Read by hand rather than with a schema so the first paint of the pane needs no zod.
 */

export interface SignedInUser {
  readonly sub: string;
  readonly groups: readonly string[];
  readonly ats: string | undefined;
  readonly region: string | undefined;
  readonly expiresAt: number | undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

const texts = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((item) => typeof item === 'string') ? value : undefined;

/** Cognito's claims (`cognito:groups`, `custom:ats`, `custom:region`) or the local stack's plain ones. */
export function readToken(token: string): SignedInUser | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  let claims: Record<string, unknown>;
  try {
    const json: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
    claims = json as Record<string, unknown>;
  } catch {
    return null;
  }
  const sub = text(claims.sub);
  if (sub === undefined) return null;
  const groups = claims['cognito:groups'] ?? claims.groups;
  const ats = claims['custom:ats'] ?? claims.ats;
  const region = claims['custom:region'] ?? claims.region;
  const exp = claims.exp;
  // A claim of the wrong type makes the token unreadable, as a schema would.
  if (groups !== undefined && texts(groups) === undefined) return null;
  if ((ats !== undefined && text(ats) === undefined) || (region !== undefined && text(region) === undefined))
    return null;
  if (exp !== undefined && typeof exp !== 'number') return null;
  return {
    sub,
    groups: texts(groups) ?? [],
    ats: text(ats),
    region: text(region),
    expiresAt: typeof exp === 'number' ? exp : undefined,
  };
}
