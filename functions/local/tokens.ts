import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { LOCAL_CLI_CLIENT_ID } from '../../shared/contract/cli-sign-in.ts';

/**
 * The local identity provider: an ES256 key kept under the data folder signs Cognito-shaped ID tokens, and every
 * request is verified the way API Gateway's JWT authorizer does it (signature, issuer, audience, expiry) before its
 * claims reach the handlers.
 */
export const LOCAL_ISSUER = 'urn:rendiconta-leps:local-stack';
export const LOCAL_AUDIENCE = 'rendiconta-leps-local';
/**
 * The audiences the local authorizer accepts, as the deployed JWT authorizer lists both app clients: the add-in's and
 * the command line's (`rendiconta accedi`, whose ID tokens the local hosted UI signs with its own client id).
 */
export const LOCAL_AUDIENCES = [LOCAL_AUDIENCE, LOCAL_CLI_CLIENT_ID];
const LIFETIME = '8h';

export interface TokenClaims {
  readonly sub: string;
  readonly groups: readonly string[];
  readonly ats?: string;
  readonly region?: string;
}

export interface TokenService {
  /** An ID token for the add-in's client, or for `audience` (another local app client). */
  sign(claims: TokenClaims, options?: { readonly audience?: string }): Promise<string>;
  /** The verified claims, or undefined when the token is missing, forged, expired or not ours. */
  verify(token: string): Promise<JWTPayload | undefined>;
}

type Key = Awaited<ReturnType<typeof importJWK>>;

export async function tokenService(dataDir: string): Promise<TokenService> {
  const file = join(dataDir, 'token-signing-key.json');
  let privateJwk: JWK;
  if (existsSync(file)) {
    privateJwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
  } else {
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateJwk = await exportJWK(pair.privateKey);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(privateJwk), { mode: 0o600 });
  }
  const { d: _secret, ...publicJwk } = privateJwk;
  const privateKey: Key = await importJWK(privateJwk, 'ES256');
  const publicKey: Key = await importJWK(publicJwk, 'ES256');
  const verified = new Map<string, JWTPayload>();
  return {
    async sign(claims, options) {
      return new SignJWT({
        'cognito:groups': [...claims.groups],
        ...(claims.ats ? { 'custom:ats': claims.ats } : {}),
        ...(claims.region ? { 'custom:region': claims.region } : {}),
        token_use: 'id',
      })
        .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
        .setSubject(claims.sub)
        .setIssuer(LOCAL_ISSUER)
        .setAudience(options?.audience ?? LOCAL_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(LIFETIME)
        .sign(privateKey);
    },
    async verify(token) {
      const known = verified.get(token);
      if (known) {
        if (stillValid(known)) return known;
        verified.delete(token);
      }
      try {
        const { payload } = await jwtVerify(token, publicKey, {
          issuer: LOCAL_ISSUER,
          audience: LOCAL_AUDIENCES,
          algorithms: ['ES256'],
          // jose accepts a token without `exp` unless told otherwise; API Gateway's JWT authorizer validates `exp`
          // ("Control access to HTTP APIs with JWT authorizers", Authorizing API requests with a JWT authorizer,
          // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html), and a
          // token that never expires would be a key forever.
          requiredClaims: ['exp', 'sub'],
        });
        remember(verified, token, payload);
        return payload;
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * A token whose signature, issuer and audience were verified once is the same string next time: only its expiry can
 * change the answer, and that is checked on every use. API Gateway does its JWT work outside the Lambda's CPU; here
 * the same process serves the API, so it is not repeated for every request of a session.
 */
const VERIFIED_TOKENS_KEPT = 1_000;

function stillValid(payload: JWTPayload): boolean {
  return typeof payload.exp === 'number' && payload.exp * 1000 > Date.now();
}

function remember(verified: Map<string, JWTPayload>, token: string, payload: JWTPayload): void {
  if (!stillValid(payload)) return;
  // Oldest first out: a Map iterates in insertion order.
  if (verified.size >= VERIFIED_TOKENS_KEPT) verified.delete(verified.keys().next().value as string);
  verified.set(token, payload);
}

/**
 * Claims as the HTTP API JWT authorizer hands them to a Lambda: strings, with arrays flattened to "[a b]" — the
 * handlers must cope with exactly that.
 */
export function authorizerClaims(payload: JWTPayload): Record<string, string | number | boolean | string[]> {
  const claims: Record<string, string | number | boolean | string[]> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (Array.isArray(value)) claims[name] = `[${value.map(String).join(' ')}]`;
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') claims[name] = value;
  }
  return claims;
}
