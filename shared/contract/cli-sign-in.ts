import * as z from 'zod/mini';

/**
 * `rendiconta accedi`: the command line signs in through the hosted UI (Cognito's in AWS, the local stack's stand-in
 * on this machine) with the authorization code grant, PKCE (S256) and a loopback redirect, as RFC 8252 describes for
 * native apps (https://www.rfc-editor.org/rfc/rfc8252#section-7.3). One definition for the three places that must agree: the Cognito app client (infra), the local
 * stand-in (functions/local/hosted-ui.ts) and the command line (cli/commands/accedi.ts).
 *
 * Why `http://localhost:<fixed port>/callback` and not `http://127.0.0.1:<any port>/` as RFC 8252 §7.3 prefers:
 * - Cognito "requires HTTPS over HTTP except for http://localhost for testing purposes only" (CreateUserPoolClient,
 *   CallbackURLs: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html),
 *   so `http://127.0.0.1/…` is not a callback URL it documents as accepted;
 * - Cognito "doesn't accept authorization requests with redirect_uri values that aren't in the list of CallbackURLs"
 *   and documents no exception for the port (RFC 8252 §7.3 asks authorization servers to allow any loopback port;
 *   Cognito does not say it does), so the ports are fixed and every one is registered.
 * The command line still listens on the IPv4 loopback address only (127.0.0.1): browsers resolve `localhost` to the
 * loopback and fall back from ::1 to 127.0.0.1 when nothing listens on ::1.
 */
export const CLI_CALLBACK_PATH = '/callback';
/** Tried in order: the first one free on this machine is used. */
export const CLI_CALLBACK_PORTS = [47391, 47392, 47393, 47394, 47395] as const;
export const cliCallbackUrls = (): string[] =>
  CLI_CALLBACK_PORTS.map((port) => `http://localhost:${port}${CLI_CALLBACK_PATH}`);

/** The local stack's stand-in registers the command line under this client id. */
export const LOCAL_CLI_CLIENT_ID = 'rendiconta-cli-local';

/** What the command line reads from `config.json` (infra/stack.ts publishes it beside the add-in). */
export const signInConfigSchema = z.object({
  apiBaseUrl: z.string(),
  auth: z.object({
    hostedUiBaseUrl: z.string(),
    cliClientId: z.string(),
    cliRedirectUris: z.array(z.string()),
    scopes: z.array(z.string()),
  }),
});
export type SignInConfig = z.infer<typeof signInConfigSchema>;

/**
 * The token endpoint's answer (https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html): an
 * authorization code gives ID, access and refresh tokens; a refresh token gives ID and access tokens (and a new
 * refresh token only when rotation is on, which this stack does not turn on).
 */
export const tokenResponseSchema = z.object({
  id_token: z.string(),
  access_token: z.optional(z.string()),
  refresh_token: z.optional(z.string()),
  expires_in: z.number(),
  token_type: z.optional(z.string()),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** OAuth 2.0 error bodies (RFC 6749 §5.2), as the token and revocation endpoints answer. */
export const oauthErrorSchema = z.object({ error: z.string(), error_description: z.optional(z.string()) });
