import { type Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { AddinHosting } from './constructs/addin-hosting.ts';
import type { Api } from './constructs/api.ts';
import type { Auth } from './constructs/auth.ts';

export interface NagTargets {
  readonly api: Api;
  readonly hosting: AddinHosting;
  readonly auth: Auth;
  readonly mfa: 'optional' | 'required';
}

/** Id prefix of the singleton function CDK adds for s3deploy.BucketDeployment, outside our constructs. */
const BUCKET_DEPLOYMENT_HANDLER = 'Custom::CDKBucketDeployment';

/**
 * Every cdk-nag AwsSolutions finding this stack accepts, each on the narrowest construct and with its reason. A new
 * finding anywhere else fails synthesis and the infra tests.
 */
export function applyNagSuppressions(stack: Stack, targets: NagTargets): void {
  const distribution = targets.hosting.distribution;
  Validations.of(distribution).acknowledge(
    {
      id: 'AwsSolutions-CFR1',
      reason:
        'The add-in files are public code with no data (the API behind them requires a Cognito token); staff load them ' +
        'in Excel from wherever they work, missions abroad included, so no country can be refused.',
    },
    {
      id: 'AwsSolutions-CFR2',
      reason:
        'Static, public add-in files with no data or forms behind them; a web ACL would cost more than the files are ' +
        'worth protecting. The API is protected by the JWT authorizer and stage throttling.',
    },
    {
      id: 'AwsSolutions-CFR4',
      reason:
        'The distribution uses the default *.cloudfront.net certificate, for which CloudFront fixes the viewer TLS ' +
        'policy; a Region that adds its own domain and ACM certificate sets TLSv1.2_2021 (README, "Deploy to AWS").',
    },
  );

  const health = targets.api.healthRoute;
  Validations.of(health).acknowledge({
    id: 'AwsSolutions-APIG4',
    reason:
      'GET /v1/health is public by contract (contract.md): load balancers and uptime checks call it without a token, ' +
      'and it returns no data and touches no table. Every other route has the Cognito JWT authorizer.',
  });
  Validations.of(targets.api.defaultRoute).acknowledge({
    id: 'AwsSolutions-APIG4',
    reason:
      'The $default route only answers requests no other route matches: an Italian 404, or a 405 naming the methods ' +
      'the contract (contract.md) already publishes for that path. Its function has no table access and reads no data, ' +
      'so a token would protect nothing; every route that serves data has the Cognito JWT authorizer.',
  });

  if (targets.mfa === 'optional') {
    Validations.of(targets.auth.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'TOTP MFA is offered to every user and threat protection is enforced (Plus tier); forcing MFA is a Region ' +
        'policy choice, made at deploy time with -c mfa=required.',
    });
  }

  const handler = bucketDeploymentHandler(stack);
  const what =
    'The s3deploy.BucketDeployment function that aws-cdk-lib adds, run only by CloudFormation during deployment: it ' +
    'copies the add-in from the CDK asset bucket into the add-in bucket and invalidates the distribution.';
  if (handler) {
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-L1',
      reason: `${what} Its Python runtime is chosen by aws-cdk-lib and moves with CDK upgrades.`,
    });
  }
  // Its role is ours (AddinHosting.deploy): logs only to its own log group, no managed policy. The grants below are
  // the ones BucketDeployment adds to it.
  const role = targets.hosting.deploymentRole;
  if (role) {
    Validations.of(role).acknowledge(
      ...[
        'Action::s3:GetObject*',
        'Action::s3:GetBucket*',
        'Action::s3:List*',
        'Action::s3:DeleteObject*',
        'Action::s3:Abort*',
        'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
        `Resource::<${stack.getLogicalId(targets.hosting.bucketResource)}.Arn>/*`,
      ].map((finding) => ({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason:
          `${what} Wildcards written by BucketDeployment's grants, limited to the CDK asset bucket (read) and the ` +
          'add-in bucket (read and write; with prune it deletes files a new build no longer has).',
      })),
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          `${what} BucketDeployment allows cloudfront:CreateInvalidation and GetInvalidation on "*"; a Deny statement ` +
          'in the same policy refuses both on every distribution but the add-in one.',
      },
    );
  }
}

function bucketDeploymentHandler(stack: Stack): IConstruct | undefined {
  return stack.node.children.find((child) => child.node.id.startsWith(BUCKET_DEPLOYMENT_HANDLER));
}
