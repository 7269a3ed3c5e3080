import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { cliCallbackUrls } from '../shared/contract/cli-sign-in.ts';
import { addinSources } from './addin-files.ts';
import type { StackConfig } from './config.ts';
import { AddinHosting } from './constructs/addin-hosting.ts';
import { Api } from './constructs/api.ts';
import { AUTH_CALLBACK_PATH, Auth, OAUTH_SCOPES } from './constructs/auth.ts';
import { DataTable } from './constructs/data.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { deployedManifest } from './manifest.ts';
import { applyNagSuppressions } from './nag.ts';

export interface RendicontaStackProps extends StackProps {
  readonly config: StackConfig;
  /** The built add-in: a deployment build with placeholders (addin-files.ts), or any build to upload as is. */
  readonly addinAssetPath: string;
  /** The add-in version written into manifest.xml (n.n.n or n.n.n.n). */
  readonly addinVersion: string;
}

/** Everything one Region deploys: table, functions, HTTP API, user pool, add-in hosting, alarms. */
export class RendicontaStack extends Stack {
  readonly data: DataTable;
  readonly auth: Auth;
  readonly api: Api;
  readonly hosting: AddinHosting;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: RendicontaStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.data = new DataTable(this, 'Data');
    this.hosting = new AddinHosting(this, 'Addin');
    const addinOrigin = this.hosting.origin;
    this.auth = new Auth(this, 'Auth', { domainPrefix: config.authDomainPrefix, mfa: config.mfa, addinOrigin });
    this.api = new Api(this, 'Api', {
      data: this.data,
      userPool: this.auth.userPool,
      client: this.auth.client,
      otherClients: [this.auth.cliClient],
      addinOrigin,
      rateLimit: config.apiRateLimit,
      burstLimit: config.apiBurstLimit,
      logRetention: config.logRetentionDays,
    });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      httpApi: this.api.httpApi,
      functions: this.api.functions,
      table: this.data.table,
      alarmEmail: config.alarmEmail,
    });

    const addinBaseUrl = `${addinOrigin}/`;
    const deployed = {
      addinOrigin,
      apiBaseUrl: this.api.url,
      authBaseUrl: this.auth.domain.baseUrl(),
      clientId: this.auth.client.userPoolClientId,
    };
    this.hosting.deploy(
      'Deployment',
      [
        ...addinSources(props.addinAssetPath, deployed),
        s3deploy.Source.data(
          'manifest.xml',
          deployedManifest({ addinOrigin, authBaseUrl: deployed.authBaseUrl, version: props.addinVersion }),
        ),
        // The deployed addresses in one place, for scripts and the command line.
        s3deploy.Source.jsonData('config.json', {
          apiBaseUrl: deployed.apiBaseUrl,
          auth: {
            hostedUiBaseUrl: deployed.authBaseUrl,
            clientId: deployed.clientId,
            redirectUri: `${addinOrigin}${AUTH_CALLBACK_PATH}`,
            scopes: OAUTH_SCOPES.map((scope) => scope.scopeName),
            // `rendiconta accedi --addin <AddinUrl>` reads these (shared/contract/cli-sign-in.ts).
            cliClientId: this.auth.cliClient.userPoolClientId,
            cliRedirectUris: cliCallbackUrls(),
          },
        }),
      ],
      config.logRetentionDays,
    );

    new CfnOutput(this, 'ApiUrl', { description: 'HTTP API base URL (routes under /v1)', value: this.api.url });
    new CfnOutput(this, 'AddinUrl', { description: 'Add-in files (CloudFront)', value: addinBaseUrl });
    new CfnOutput(this, 'ManifestUrl', {
      description: 'Production manifest.xml',
      value: `${addinBaseUrl}manifest.xml`,
    });
    new CfnOutput(this, 'UserPoolId', { value: this.auth.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.auth.client.userPoolClientId });
    new CfnOutput(this, 'HostedUiUrl', { value: deployed.authBaseUrl });
    new CfnOutput(this, 'TableName', { value: this.data.table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });

    applyNagSuppressions(this, { api: this.api, hosting: this.hosting, auth: this.auth, mfa: config.mfa });
  }
}
