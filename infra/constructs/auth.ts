import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { cliCallbackUrls } from '../../shared/contract/cli-sign-in.ts';

/** The roles of contract.md § Identity; the handlers read them from the `cognito:groups` claim. */
export const USER_GROUPS = [
  { name: 'ats-operator', description: 'Operatore di un ATS: compila e invia i rendiconti del proprio Ambito' },
  { name: 'region-reviewer', description: 'Revisore regionale: registra gli ATS e approva o respinge i rendiconti' },
  { name: 'national-admin', description: 'Amministratore nazionale: consulta tutte le Regioni' },
] as const;

/**
 * The add-in's sign-in page (addin/auth/login.html), opened in an Office dialog: it sends the user to the hosted UI
 * and the hosted UI returns to it with the authorization code, after sign-in and after sign-out.
 */
export const AUTH_CALLBACK_PATH = '/auth/login.html';

/** What the add-in asks for at sign-in; the API needs only the ID token's identity claims. */
export const OAUTH_SCOPES = [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE];

export interface AuthProps {
  readonly domainPrefix: string;
  readonly mfa: 'optional' | 'required';
  /** https://<cloudfront domain>, a deploy-time token. */
  readonly addinOrigin: string;
}

/**
 * The Cognito user pool behind the JWT authorizer. Nobody signs up: a Region's administrator creates each account and
 * sets `custom:ats` / `custom:region`, which decide what that person may read and write, so the add-in's client can
 * read those attributes but never write them (otherwise a user could move themselves into another ATS).
 */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  /** `rendiconta accedi`'s app client (a native app: public, loopback callback URLs). */
  readonly cliClient: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);
    this.userPool = new cognito.UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      customAttributes: {
        ats: new cognito.StringAttribute({ minLen: 1, maxLen: 32, mutable: true }),
        region: new cognito.StringAttribute({ minLen: 1, maxLen: 8, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: props.mfa === 'required' ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Plus tier: threat protection (compromised credentials, adaptive authentication) enforced, as the accounts
      // of public-sector staff deserve; about 0.02 USD per monthly active user (README, "Deploy to AWS").
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      userInvitation: {
        emailSubject: 'Rendiconta LEPS: il tuo account',
        emailBody:
          'È stato creato il tuo account per Rendiconta LEPS. Nome utente: {username} Password temporanea: {####} ' +
          'Al primo accesso ti verrà chiesto di sceglierne una nuova.',
      },
      userVerification: {
        emailSubject: 'Rendiconta LEPS: codice di verifica',
        emailBody: 'Il tuo codice di verifica per Rendiconta LEPS è {####}',
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const group of USER_GROUPS) {
      new cognito.UserPoolGroup(this, `Group-${group.name}`, {
        userPool: this.userPool,
        groupName: group.name,
        description: group.description,
      });
    }

    const callbackUrl = `${props.addinOrigin}${AUTH_CALLBACK_PATH}`;
    this.client = this.userPool.addClient('AddinClient', {
      // A browser app cannot keep a secret: authorization code grant with PKCE instead.
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: OAUTH_SCOPES,
        callbackUrls: [callbackUrl],
        logoutUrls: [callbackUrl],
      },
      ...publicClientSettings(),
    });

    // The command line (`rendiconta accedi`) is a native app (RFC 8252): a public client of its own, whose callback
    // URLs are http://localhost on a few fixed ports (shared/contract/cli-sign-in.ts: Cognito allows http only for
    // localhost and matches redirect_uri exactly, port included). The add-in's client keeps only the add-in's page.
    // The JWT authorizer accepts both clients' ID tokens (constructs/api.ts).
    this.cliClient = this.userPool.addClient('CliClient', {
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: OAUTH_SCOPES,
        callbackUrls: cliCallbackUrls(),
      },
      ...publicClientSettings(),
    });
    // With no explicit flows Cognito would allow SRP and custom authentication through its API as well: this client
    // signs in only through the hosted UI, and refreshing at /oauth2/token is what remains.
    (this.cliClient.node.defaultChild as cognito.CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];

    this.domain = this.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: props.domainPrefix } });
  }
}

/**
 * What the add-in's and the command line's app clients share: Cognito sign-in only, revocable refresh tokens (the
 * add-in signs out, `rendiconta esci` revokes at /oauth2/revoke), hour-long ID tokens, and identity attributes the
 * user may read but never write.
 */
function publicClientSettings() {
  return {
    supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
    preventUserExistenceErrors: true,
    enableTokenRevocation: true,
    accessTokenValidity: Duration.hours(1),
    idTokenValidity: Duration.hours(1),
    refreshTokenValidity: Duration.hours(12),
    readAttributes: new cognito.ClientAttributes()
      .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
      .withCustomAttributes('ats', 'region'),
    // Email stays writable because Cognito requires required attributes to be writable by the client; a change
    // needs a verification code and grants nothing, since authorization rests on groups and custom attributes.
    writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
  };
}
