import { Aws, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { ADDIN_ID, LOCAL_ADDIN_BASE_URL, renderManifest } from '../../addin/manifest/generate.ts';
import { deployedManifest } from '../../infra/manifest.ts';

describe('production manifest.xml', () => {
  it("is the add-in's own manifest, for the CloudFront address and with the sign-in domain allowed", () => {
    const xml = deployedManifest({
      addinOrigin: 'https://d111111abcdef8.cloudfront.net',
      authBaseUrl: 'https://rendiconta-veneto.auth.eu-south-1.amazoncognito.com',
      version: '0.1.0',
    });
    expect(xml).toBe(
      renderManifest({
        addinBaseUrl: 'https://d111111abcdef8.cloudfront.net',
        appDomains: ['https://rendiconta-veneto.auth.eu-south-1.amazoncognito.com'],
        version: '0.1.0',
      }),
    );
    expect(xml).toContain(`<Id>${ADDIN_ID}</Id>`);
    expect(xml).toContain('<SourceLocation DefaultValue="https://d111111abcdef8.cloudfront.net/taskpane.html"/>');
    expect(xml).toContain('<AppDomain>https://rendiconta-veneto.auth.eu-south-1.amazoncognito.com</AppDomain>');
    expect(xml).not.toContain(LOCAL_ADDIN_BASE_URL);
    expect(xml).not.toContain('placeholder');
  });

  it('carries deploy-time addresses as CloudFormation references', () => {
    const stack = new Stack();
    const xml = deployedManifest({
      addinOrigin: `https://${Aws.ACCOUNT_ID}.example`,
      authBaseUrl: `https://auth.${Aws.REGION}.amazoncognito.com`,
      version: '1.0.0.0',
    });
    const resolved = JSON.stringify(stack.resolve(xml));
    expect(resolved).toContain('{"Ref":"AWS::AccountId"}');
    expect(resolved).toContain('{"Ref":"AWS::Region"}');
    expect(resolved).not.toContain('placeholder');
  });
});
