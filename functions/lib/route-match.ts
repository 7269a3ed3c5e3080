import { type HttpMethod, PATH_ROUTES, type PathRouteDef } from '../routes.ts';

/**
 * Which path route a request matches, as API Gateway's routing does it for this API's routes: an exact method and a
 * path whose `{name}` variables each take one whole, non-empty segment (no greedy variables, no `ANY`). The local stack
 * routes with it, and the catch-all handler uses it to tell an unknown path (404) from a known path asked with another
 * method (405 and `Allow`), so both answer alike.
 */

interface CompiledPath {
  readonly route: PathRouteDef;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

const COMPILED: readonly CompiledPath[] = PATH_ROUTES.map((route) => {
  const names: string[] = [];
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_match, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
});

export interface RouteMatch {
  readonly route: PathRouteDef;
  /** Decoded, as API Gateway decodes path parameters before passing them on. */
  readonly parameters: Record<string, string>;
}

/** The route for `method` and `path` (the request's path, still URL-encoded); throws URIError on a malformed escape. */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  for (const { route, pattern, names } of COMPILED) {
    if (route.method !== method) continue;
    const found = pattern.exec(path);
    if (!found) continue;
    const parameters: Record<string, string> = {};
    names.forEach((name, index) => {
      parameters[name] = decodeURIComponent(found[index + 1] ?? '');
    });
    return { route, parameters };
  }
  return undefined;
}

/** The methods the routes on `path` take, in the route table's order; empty when no route has this path. */
export function allowedMethods(path: string): HttpMethod[] {
  const methods: HttpMethod[] = [];
  for (const { route, pattern } of COMPILED) {
    if (pattern.test(path) && !methods.includes(route.method)) methods.push(route.method);
  }
  return methods;
}
