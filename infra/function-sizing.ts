import type { RouteDef } from '../functions/routes.ts';

/**
 * Memory and timeout of a route's function, in one place for the CDK stack (infra/constructs/api.ts) and the
 * cold-start bench, which starts node with the heap sizes Lambda derives from the memory.
 */

/** Validation of a 5 MB workbook against the ISTAT list is CPU-bound: more memory buys a faster CPU. */
export function memorySizeMb(route: RouteDef): number {
  return route.needsReferenceData ? 1024 : 512;
}

export function timeoutSeconds(route: RouteDef): number {
  return route.needsReferenceData ? 20 : 10;
}
