import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_CALLBACK_PATH, CLI_CALLBACK_PORTS, cliCallbackUrls } from '../../shared/contract/cli-sign-in.ts';
import { type Synthesized, synth } from './support.ts';

/**
 * `rendiconta accedi`'s app client: a public client of its own (RFC 8252 native app) whose callback URLs are the
 * loopback addresses Cognito permits (http only for localhost, exact match with the port), accepted by the API's JWT
 * authorizer, and published in config.json for the command line to find.
 */

interface Resource {
  Properties: Record<string, unknown>;
}

let synthesized: Synthesized;
let template: Template;

beforeAll(() => {
  synthesized = synth();
  template = synthesized.template;
}, 120_000);

afterAll(() => synthesized?.cleanup());

function cliClient(): [string, Resource] {
  const found = Object.entries(
    template.findResources('AWS::Cognito::UserPoolClient', { Properties: { CallbackURLs: cliCallbackUrls() } }),
  );
  expect(found, 'exactly one command-line client').toHaveLength(1);
  return found[0] as [string, Resource];
}

describe("the command line's Cognito app client", () => {
  it('is public, code grant only, with the loopback callback URLs Cognito permits and nothing else', () => {
    const [, client] = cliClient();
    expect(client.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    });
    expect(client.Properties.LogoutURLs).toBeUndefined();
    expect(client.Properties.ReadAttributes).toEqual(expect.arrayContaining(['custom:ats', 'custom:region']));
    expect(client.Properties.WriteAttributes).toEqual(['email', 'name']);
    // http is allowed by Cognito only for localhost; the port is part of the exact match, so each is listed.
    const urls = client.Properties.CallbackURLs as string[];
    expect(urls).toHaveLength(CLI_CALLBACK_PORTS.length);
    for (const url of urls) expect(url).toMatch(new RegExp(`^http://localhost:\\d{4,5}${CLI_CALLBACK_PATH}$`));
  });

  it("leaves the add-in's client with the add-in's page only", () => {
    const clients = Object.values(template.findResources('AWS::Cognito::UserPoolClient')) as Resource[];
    expect(clients).toHaveLength(2);
    const addin = clients.find((client) => client.Properties.LogoutURLs !== undefined);
    expect(JSON.stringify(addin?.Properties.CallbackURLs)).not.toContain('localhost');
  });

  it("is accepted by the API's JWT authorizer beside the add-in's client", () => {
    const [cliId] = cliClient();
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Audience: Match.arrayWith([{ Ref: cliId }]) },
    });
    const [authorizer] = Object.values(template.findResources('AWS::ApiGatewayV2::Authorizer')) as Resource[];
    const jwt = authorizer?.Properties.JwtConfiguration as { Audience: unknown[] } | undefined;
    expect(jwt?.Audience).toHaveLength(2);
  });

  it('is published in config.json beside the add-in', () => {
    const [cliId] = cliClient();
    const [deployment] = Object.values(template.findResources('Custom::CDKBucketDeployment')) as Resource[];
    expect(JSON.stringify(deployment?.Properties.SourceMarkers)).toContain(cliId);
  });
});
