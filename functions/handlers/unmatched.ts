import { methodNotAllowed, notFound } from '../lib/http.ts';
import { route } from '../lib/request.ts';
import { allowedMethods } from '../lib/route-match.ts';

/**
 * The HTTP API's `$default` route (functions/routes.ts): a request no other route matches gets the contract's error
 * JSON in Italian instead of API Gateway's English `404 {"message":"Not Found"}`. A path the API has, asked with
 * another method, is a 405 naming the methods it takes in `Allow`; anything else is a 404. It reads no data, so it has
 * no table access (infra/table-access.ts derives none from this code) and needs no token.
 */
export const handler = route('unmatched', async (event) => {
  const path = event.rawPath ?? event.requestContext?.http?.path ?? '/';
  const methods = allowedMethods(path);
  if (methods.length > 0) throw methodNotAllowed(methods);
  throw notFound(
    'Indirizzo non previsto dall\u2019API: verificare il percorso (le richieste al servizio iniziano con /v1/).',
  );
});
