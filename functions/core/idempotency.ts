import { sha256HexOf } from '../lib/hash.ts';

/**
 * The key an Idempotency-Key is remembered under: one caller's key never answers for another's. Joining the two with
 * a separator is not enough (`a#b` + `c` and `a` + `b#c` meet, since a Cognito `sub` from another issuer and an
 * Idempotency-Key may both hold `#`); the JSON text of the pair is unambiguous — each string is quoted and escaped, so
 * two different pairs never share a text — and its sha256 gives a key of fixed length whatever the two hold.
 */
export function idempotencyScope(sub: string, key: string): string {
  return sha256HexOf(JSON.stringify([sub, key]));
}
