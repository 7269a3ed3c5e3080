import { App, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Synthesized, synth } from './support.ts';

let synthesized: Synthesized;
beforeAll(() => {
  synthesized = synth();
});
afterAll(() => synthesized.cleanup());

interface Violation {
  readonly ruleName: string;
  readonly violatingResources: ReadonlyArray<{ readonly constructPath?: string }>;
}

/** "rule at path" lines, so a failure names every finding. */
function findings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return (report.violations as Violation[]).flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath ?? '?'}`),
  );
}

function acknowledgments(scope: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      // Each entry maps "Annotation::<rule id>" to its reason.
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      .map(([key, reason]) => ({ path: construct.node.path, id: key.replace(/^Annotation::/, ''), reason })),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in the stack', () => {
    expect(findings(synthesized.stack)).toEqual([]);
  });

  it('finds nothing either when MFA is required, and then needs no MFA acknowledgment', () => {
    const { stack, cleanup } = synth({ context: { mfa: 'required' } });
    try {
      expect(findings(stack)).toEqual([]);
      expect(acknowledgments(stack).map((ack) => ack.id)).not.toContain('AwsSolutions-COG2');
    } finally {
      cleanup();
    }
  });

  it('gives every acknowledgment a reason, on the construct it concerns', () => {
    const { stack } = synthesized;
    const acks = acknowledgments(stack);
    // The audited list: a new acknowledgment must be added here on purpose.
    expect(acks.map((ack) => `${ack.id} at ${ack.path.replace(`${stack.stackName}/`, '')}`).sort()).toEqual([
      'AwsSolutions-APIG4 at Api/DefaultRoute',
      'AwsSolutions-APIG4 at Api/HttpApi/GET--v1--health',
      'AwsSolutions-CFR1 at Addin/Distribution',
      'AwsSolutions-CFR2 at Addin/Distribution',
      'AwsSolutions-CFR4 at Addin/Distribution',
      'AwsSolutions-COG2 at Auth/UserPool',
      'AwsSolutions-IAM5[Action::s3:Abort*] at Addin/DeploymentRole',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*] at Addin/DeploymentRole',
      'AwsSolutions-IAM5[Action::s3:GetBucket*] at Addin/DeploymentRole',
      'AwsSolutions-IAM5[Action::s3:GetObject*] at Addin/DeploymentRole',
      'AwsSolutions-IAM5[Action::s3:List*] at Addin/DeploymentRole',
      'AwsSolutions-IAM5[Resource::*] at Addin/DeploymentRole',
      'AwsSolutions-IAM5[Resource::<AddinFiles82741408.Arn>/*] at Addin/DeploymentRole',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*] at Addin/DeploymentRole',
      'AwsSolutions-L1 at Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C512MiB',
    ]);

    for (const ack of acks) expect(ack.reason.length, `${ack.id}: ${ack.reason}`).toBeGreaterThan(80);
  });

  it('backs the reasons it gives: no managed policy on any role, and invalidations only of the add-in distribution', () => {
    const template = synthesized.template.toJSON() as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const resources = Object.entries(template.Resources);
    // AWSLambdaBasicExecutionRole allows logs:CreateLogGroup/CreateLogStream/PutLogEvents on "*": no role has it.
    for (const [id, resource] of resources.filter(([, r]) => r.Type === 'AWS::IAM::Role')) {
      expect(resource.Properties.ManagedPolicyArns, id).toBeUndefined();
    }
    const role = synthesized.stack.hosting.deploymentRole;
    expect(role).toBeDefined();
    const roleId = synthesized.stack.getLogicalId(role?.node.defaultChild as CfnElement);
    const statements = resources
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
      .filter(([, r]) => JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(([, r]) => (r.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement);
    const logGroupIds = resources
      .filter(([id, r]) => r.Type === 'AWS::Logs::LogGroup' && id.startsWith('AddinDeploymentLogs'))
      .map(([id]) => id);
    expect(logGroupIds).toHaveLength(1);
    const logs = statements.filter((s) => JSON.stringify(s.Action).includes('logs:'));
    expect(logs).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logGroupIds[0], 'Arn'] },
      },
    ]);
    const distributionId = resources.find(([, r]) => r.Type === 'AWS::CloudFront::Distribution')?.[0];
    expect(statements).toContainEqual({
      Effect: 'Deny',
      Action: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
      NotResource: {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':cloudfront::',
            { Ref: 'AWS::AccountId' },
            ':distribution/',
            { Ref: distributionId },
          ],
        ],
      },
    });
  });

  it('is live: an unprotected bucket is reported', () => {
    const stack = new Stack(new App(), 'Unsafe');
    new s3.Bucket(stack, 'Open');
    expect(findings(stack)).toEqual(
      expect.arrayContaining(['AwsSolutions-S1 at Unsafe/Open/Resource', 'AwsSolutions-S10 at Unsafe/Open/Resource']),
    );
  });
});
