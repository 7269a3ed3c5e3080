import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATCH_ALL_ROUTE, DEFAULT_ROUTE_KEY, ROUTES, routeKey } from '../../functions/routes.ts';
import { keys } from '../../functions/store/keys.ts';
import { TABLE_DEFINITION } from '../../functions/store/table-definition.ts';
import { PLACEHOLDERS } from '../../infra/addin-files.ts';
import { ConfigError } from '../../infra/config.ts';
import { CONTENT_SECURITY_POLICY } from '../../infra/constructs/addin-hosting.ts';
import { REFERENCE_DATA_DIR, TEMPLATE_XLSX_DIR } from '../../infra/constructs/api.ts';
import { AUTH_CALLBACK_PATH } from '../../infra/constructs/auth.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import {
  DELETE_CAPABLE_ACTIONS,
  deriveTableAccess,
  PARTITION_KEY_BUILDERS,
  unclassifiedKeyBuilders,
} from '../../infra/table-access.ts';
import { API_CORS } from '../../shared/contract/cors.ts';
import { type Synthesized, synth } from './support.ts';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: unknown };

let synthesized: Synthesized;
let template: Template;

beforeAll(() => {
  synthesized = synth();
  template = synthesized.template;
});
afterAll(() => synthesized.cleanup());

function only(type: string, props?: Record<string, unknown>): [string, Resource] {
  const found = Object.entries(template.findResources(type, props ? { Properties: props } : undefined));
  expect(found, `exactly one ${type}`).toHaveLength(1);
  return found[0] as [string, Resource];
}

function logicalId(type: string, props?: Record<string, unknown>): string {
  return only(type, props)[0];
}

/** The add-in's app client; the command line has its own, without logout URLs (test/infra/cli-client.test.ts). */
const ADDIN_CLIENT = { LogoutURLs: Match.anyValue() };
const tableId = () => logicalId('AWS::DynamoDB::Table');
const distributionId = () => logicalId('AWS::CloudFront::Distribution');
const addinOrigin = () => ({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }]] });

/** The NodejsFunction of a route, found by the description the stack gives it. */
function routeFunction(route: (typeof ROUTES)[number]): [string, Resource] {
  return only('AWS::Lambda::Function', { Description: `Rendiconta LEPS ${routeKey(route)}` });
}

describe('DynamoDB table', () => {
  it('has the keys of functions/store/table-definition.ts and no secondary index', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_DEFINITION.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: TABLE_DEFINITION.sortKey.name, KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: Match.absent(),
      LocalSecondaryIndexes: Match.absent(),
    });
  });

  it('is on-demand, with point-in-time recovery, deletion protection, KMS encryption and TTL', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        // SSEEnabled without a key: the account's aws/dynamodb KMS key (absent would mean an AWS-owned key).
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: TABLE_DEFINITION.timeToLiveAttribute, Enabled: true },
      }),
    });
    const properties = only('AWS::DynamoDB::Table')[1].Properties;
    expect(properties).not.toHaveProperty('TableName');
    expect(properties.SSESpecification).not.toHaveProperty('KMSMasterKeyId');
  });
});

describe('Lambda functions', () => {
  it('has one arm64 Node.js 24 function per route, bundled as ESM', () => {
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Runtime: 'nodejs24.x' },
    });
    expect(Object.keys(functions)).toHaveLength(ROUTES.length);
    for (const route of ROUTES) {
      const [, fn] = routeFunction(route);
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        LoggingConfig: { LogGroup: expect.anything() },
      });
    }
  });

  it('passes the table name, the reference data folder and the template folder only to the routes that use them', () => {
    for (const route of ROUTES) {
      const [, fn] = routeFunction(route);
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(variables.SERVICE_NAME).toBe('rendiconta-leps');
      expect(variables.LOG_LEVEL).toBe('INFO');
      // No --enable-source-maps: Node would parse the map of the whole bundle at every cold start (infra/bundling.ts).
      expect(variables).not.toHaveProperty('NODE_OPTIONS');
      if (deriveTableAccess(route.id).actions.length === 0) expect(variables).not.toHaveProperty('TABLE_NAME');
      else expect(variables.TABLE_NAME).toEqual({ Ref: tableId() });
      if (route.needsReferenceData) expect(variables.REFERENCE_DATA_DIR).toBe(REFERENCE_DATA_DIR);
      else expect(variables).not.toHaveProperty('REFERENCE_DATA_DIR');
      if (route.id === 'getTemplate') expect(variables.TEMPLATE_XLSX_DIR).toBe(TEMPLATE_XLSX_DIR);
      else expect(variables).not.toHaveProperty('TEMPLATE_XLSX_DIR');
    }
  });

  it('gives every function its own log group with the configured retention', () => {
    for (const route of ROUTES) {
      const [, fn] = routeFunction(route);
      const logGroupRef = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      const logGroup = template.toJSON().Resources[logGroupRef] as Resource;
      expect(logGroup.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup.Properties.RetentionInDays).toBe(365);
    }
  });
});

describe('least privilege', () => {
  type Statement = { Action: string | string[]; Effect: string; Resource: unknown };

  /** Every statement of every policy attached to the role of a route's function. */
  function statementsOf(route: (typeof ROUTES)[number]): Statement[] {
    const [, fn] = routeFunction(route);
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const role = template.toJSON().Resources[roleId] as Resource;
    expect(role.Properties.ManagedPolicyArns, `${route.id}: no managed policy`).toBeUndefined();
    expect(role.Properties.Policies, `${route.id}: no inline policy`).toBeUndefined();
    const policies = Object.values(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } }),
    ) as Resource[];
    return policies.flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  }

  const asList = (action: string | string[]) => (Array.isArray(action) ? action : [action]);

  it.each(ROUTES.map((route) => [route.id, route] as const))(
    '%s gets exactly its log group and the table actions derived from its code, on its partitions only',
    (_, route) => {
      const statements = statementsOf(route);
      const [, fn] = routeFunction(route);
      const logGroupRef = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      const logs = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('logs:')));
      expect(logs).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroupRef, 'Arn'] },
        },
      ]);

      const table = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:')));
      expect(statements).toHaveLength(logs.length + table.length);
      const derived = deriveTableAccess(route.id);
      if (derived.actions.length === 0) {
        expect(table).toEqual([]);
        return;
      }
      expect(table).toEqual([
        {
          Effect: 'Allow',
          Action: derived.actions.length === 1 ? derived.actions[0] : [...derived.actions],
          Resource: { 'Fn::GetAtt': [tableId(), 'Arn'] },
          Condition: {
            'ForAllValues:StringLike': {
              'dynamodb:LeadingKeys': derived.partitionKeyPrefixes.map((prefix) => `${prefix}*`),
            },
          },
        },
      ]);
    },
  );

  it('gives the routes whose code sends nothing to the table no table access, and no function Scan or a wildcard', () => {
    for (const route of ROUTES) {
      const actions = statementsOf(route).flatMap((s) => asList(s.Action));
      expect(actions).not.toContain('dynamodb:Scan');
      expect(actions.some((a) => a.includes('*'))).toBe(false);
    }
    for (const id of ['listTemplates', 'getTemplate', CATCH_ALL_ROUTE.id]) {
      expect(deriveTableAccess(id).actions, id).toEqual([]);
    }
    // Health reads one item, the table's layout mark, to report the store's state (functions/store/probe.ts).
    expect(deriveTableAccess('health')).toMatchObject({
      actions: ['dynamodb:GetItem'],
      partitionKeyPrefixes: ['TABLE#'],
    });
  });

  it('lets no route delete unless its code sends a delete-capable command', () => {
    for (const route of ROUTES) {
      const derived = deriveTableAccess(route.id);
      const canDelete =
        derived.commands.some((command) => /^(?:Delete|BatchWrite)/.test(command)) ||
        derived.transactItems.includes('Delete');
      const granted = statementsOf(route).flatMap((s) => asList(s.Action));
      if (!canDelete) {
        expect(
          granted.filter((a) => DELETE_CAPABLE_ACTIONS.includes(a)),
          route.id,
        ).toEqual([]);
      }
    }
  });

  it('knows every key builder of functions/store/keys.ts, and each partition prefix is what its builder makes', () => {
    expect(unclassifiedKeyBuilders()).toEqual([]);
    const sample: Record<string, unknown> = {
      submission: keys.submission('ATS-05-001', '2025-12-31'),
      current: keys.current('ATS-05-001', '2025-12-31').PK,
      regionPeriod: keys.regionPeriod('05', '2025-12-31'),
      region: keys.region('05'),
      audit: keys.audit('ATS-05-001'),
      regionAudit: keys.regionAudit('05'),
      idempotency: keys.idempotency('sub#key'),
      blob: keys.blob('abc'),
      layout: (keys as unknown as { layout?: { PK: string } }).layout?.PK,
    };
    for (const [builder, prefix] of Object.entries(PARTITION_KEY_BUILDERS)) {
      const pk = sample[builder];
      if (pk === undefined) continue;
      expect(String(pk).startsWith(prefix), `${builder}: ${String(pk)}`).toBe(true);
    }
    expect(Object.keys(sample).sort()).toEqual(Object.keys(PARTITION_KEY_BUILDERS).sort());
  });
});

describe('HTTP API', () => {
  it('has the JWT authorizer of the user pool and its add-in client', () => {
    const poolId = logicalId('AWS::Cognito::UserPool');
    const clientId = logicalId('AWS::Cognito::UserPoolClient', ADDIN_CLIENT);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: Match.arrayWith([{ Ref: clientId }]),
        Issuer: {
          'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: poolId }]],
        },
      },
    });
  });

  it('puts the authorizer on every route but GET /v1/health and the $default catch-all', () => {
    const authorizerId = logicalId('AWS::ApiGatewayV2::Authorizer');
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as Resource[];
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(ROUTES.map(routeKey).sort());
    expect(routes.map((r) => r.Properties.RouteKey)).toContain(DEFAULT_ROUTE_KEY);
    for (const route of routes) {
      if (route.Properties.RouteKey === 'GET /v1/health' || route.Properties.RouteKey === DEFAULT_ROUTE_KEY) {
        expect(route.Properties.AuthorizationType).toBe('NONE');
        expect(route.Properties).not.toHaveProperty('AuthorizerId');
      } else {
        expect(route.Properties.AuthorizationType).toBe('JWT');
        expect(route.Properties.AuthorizerId).toEqual({ Ref: authorizerId });
      }
    }
  });

  it("allows CORS only from the add-in's origin", () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: {
        AllowOrigins: [addinOrigin()],
        AllowHeaders: [...API_CORS.allowHeaders],
        AllowMethods: [...API_CORS.allowMethods],
        ExposeHeaders: [...API_CORS.exposeHeaders],
        MaxAge: API_CORS.maxAgeSeconds,
      },
    });
  });

  it('throttles the stage and writes JSON access logs without personal data', () => {
    const [, stage] = only('AWS::ApiGatewayV2::Stage');
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    const settings = stage.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
    const format = JSON.parse(settings.Format);
    expect(format.requestId).toBe('$context.requestId');
    expect(settings.Format).not.toMatch(/sourceIp|claims|email/);
    const logGroupId = (settings.DestinationArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const logGroup = template.toJSON().Resources[logGroupId] as Resource;
    expect(logGroup.Properties.RetentionInDays).toBe(365);
  });

  it('takes rate, burst and retention from the deployment context', () => {
    const custom = synth({ context: { apiRateLimit: '200', apiBurstLimit: 400, logRetentionDays: 90 } });
    try {
      custom.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
      });
      const groups = Object.values(custom.template.findResources('AWS::Logs::LogGroup')) as Resource[];
      expect(groups.map((g) => g.Properties.RetentionInDays)).toEqual(groups.map(() => 90));
    } finally {
      custom.cleanup();
    }
  });
});

describe('Cognito', () => {
  it('is a Plus-tier pool with no self sign-up, a strong password policy and TOTP MFA', () => {
    template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: true }),
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        DeletionProtection: 'ACTIVE',
        Schema: Match.arrayWith([
          Match.objectLike({ Name: 'ats', AttributeDataType: 'String', Mutable: true }),
          Match.objectLike({ Name: 'region', AttributeDataType: 'String', Mutable: true }),
        ]),
      }),
    });
  });

  it('requires MFA when the Region asks for it', () => {
    const strict = synth({ context: { mfa: 'required' } });
    try {
      strict.template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON' });
    } finally {
      strict.cleanup();
    }
  });

  it('has the three groups of the contract', () => {
    const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')) as Resource[];
    expect(groups.map((g) => g.Properties.GroupName).sort()).toEqual([
      'ats-operator',
      'national-admin',
      'region-reviewer',
    ]);
  });

  it('has a public add-in client: code grant, no secret, callback on the add-in, custom attributes read-only', () => {
    const [, client] = only('AWS::Cognito::UserPoolClient', ADDIN_CLIENT);
    expect(client.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      CallbackURLs: [
        { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }, AUTH_CALLBACK_PATH]] },
      ],
    });
    // The page the hosted UI returns to is the add-in's own sign-in page.
    expect(existsSync(join(REPO_ROOT, 'addin', AUTH_CALLBACK_PATH))).toBe(true);
    expect(client.Properties.ReadAttributes).toEqual(expect.arrayContaining(['custom:ats', 'custom:region']));
    expect(client.Properties.WriteAttributes).toEqual(['email', 'name']);
  });

  it('has a hosted UI domain with the configured prefix', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'rendiconta-leps' });
    const custom = synth({ context: { authDomainPrefix: 'rendiconta-veneto' } });
    try {
      custom.template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'rendiconta-veneto' });
    } finally {
      custom.cleanup();
    }
  });

  it('rejects a bad deployment context with a message naming the key', () => {
    expect(() => synth({ context: { authDomainPrefix: 'My_Cognito' } })).toThrow(ConfigError);
    expect(() => synth({ context: { logRetentionDays: 42 } })).toThrow(/logRetentionDays/);
    expect(() => synth({ context: { alarmEmail: 'not an address' } })).toThrow(/alarmEmail/);
  });
});

describe('add-in hosting', () => {
  it('keeps the bucket private, encrypted, SSL-only and logged', () => {
    const [bucketId] = only('AWS::S3::Bucket', { LoggingConfiguration: Match.anyValue() });
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: Match.objectLike({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      }),
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'addin-bucket/' }),
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudfront.amazonaws.com' },
            Action: 's3:GetObject',
            Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
          }),
        ]),
      },
    });
  });

  it('serves it through CloudFront with origin access control, HTTPS only and access logs', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: Match.anyValue() })],
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
      }),
    });
  });

  it('sends security headers and lets only Office frame the add-in', () => {
    const [, policy] = only('AWS::CloudFront::ResponseHeadersPolicy');
    const config = policy.Properties.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Record<string, unknown> };
    expect(config.SecurityHeadersConfig).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63_072_000, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
      ContentSecurityPolicy: { ContentSecurityPolicy: CONTENT_SECURITY_POLICY, Override: true },
    });
    // X-Frame-Options DENY/SAMEORIGIN would blank the task pane in Excel on the web.
    expect(config.SecurityHeadersConfig).not.toHaveProperty('FrameOptions');
    expect(CONTENT_SECURITY_POLICY).toMatch(/^frame-ancestors 'self' https:\/\/\*\.officeapps\.live\.com /);
  });

  it('deploys the built add-in with manifest.xml and config.json for the deployed addresses', () => {
    const [, deployment] = only('Custom::CDKBucketDeployment');
    const domain = { 'Fn::GetAtt': [distributionId(), 'DomainName'] };
    expect(deployment.Properties).toMatchObject({
      DestinationBucketName: { Ref: logicalId('AWS::S3::Bucket', { LoggingConfiguration: Match.anyValue() }) },
      DistributionId: { Ref: distributionId() },
      DistributionPaths: ['/*'],
      Prune: true,
    });
    // One asset for the add-in folder, one for config.json, one for manifest.xml: the last two carry deploy-time
    // values as markers that the deployment replaces.
    expect(deployment.Properties.SourceObjectKeys).toHaveLength(3);
    const markers = JSON.stringify(deployment.Properties.SourceMarkers);
    expect(markers).toContain(JSON.stringify(domain));
    expect(markers).toContain(logicalId('AWS::ApiGatewayV2::Api'));
    expect(markers).toContain(logicalId('AWS::Cognito::UserPoolClient', ADDIN_CLIENT));
    expect(markers).toContain(logicalId('AWS::Cognito::UserPoolDomain'));
  });
});

describe('add-in build with placeholders', () => {
  const config = JSON.stringify({
    apiBaseUrl: PLACEHOLDERS.apiBaseUrl,
    auth: { mode: 'cognito', domain: PLACEHOLDERS.authBaseUrl, clientId: PLACEHOLDERS.clientId },
  });

  /** Every staged file under the cloud assembly, by path relative to its asset folder. */
  function stagedFiles(outdir: string): Array<{ asset: string; path: string }> {
    return readdirSync(outdir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name.startsWith('asset.'))
      .flatMap((entry) =>
        readdirSync(join(outdir, entry.name), { recursive: true, withFileTypes: true })
          .filter((file) => file.isFile())
          .map((file) => ({
            asset: entry.name,
            path: join(file.parentPath, file.name).slice(join(outdir, entry.name).length + 1),
          })),
      );
  }

  it('uploads files holding placeholders with the deployed addresses, and everything else as it is', () => {
    const built = synth({
      addinFiles: {
        'taskpane.html': '<!doctype html><script src="taskpane.js"></script>\n',
        'taskpane.js': `window.config=${config};`,
        'auth/login.js': `window.config=${config};`,
        'assets/icon.png': 'png',
        'manifest.xml': `<OfficeApp><SourceLocation DefaultValue="${PLACEHOLDERS.addinOrigin}/taskpane.html"/></OfficeApp>`,
      },
    });
    try {
      const [deployment] = Object.values(built.template.findResources('Custom::CDKBucketDeployment')) as Resource[];
      // The folder, taskpane.js, auth/login.js, then the generated manifest.xml and config.json.
      expect(deployment?.Properties.SourceObjectKeys).toHaveLength(5);
      const markers = JSON.stringify(deployment?.Properties.SourceMarkers);
      for (const id of ['AWS::ApiGatewayV2::Api', 'AWS::Cognito::UserPoolClient', 'AWS::Cognito::UserPoolDomain']) {
        expect(markers).toContain(Object.keys(built.template.findResources(id))[0]);
      }

      const staged = stagedFiles(built.outdir);
      const folder = staged.find((file) => file.path === 'taskpane.html')?.asset;
      expect(
        staged
          .filter((file) => file.asset === folder)
          .map((file) => file.path)
          .sort(),
      ).toEqual([join('assets', 'icon.png'), 'taskpane.html']);
      for (const path of ['taskpane.js', join('auth', 'login.js'), 'manifest.xml']) {
        const copy = staged.find((file) => file.path === path);
        expect(copy, path).toBeDefined();
        const text = readFileSync(join(built.outdir, copy?.asset ?? '', path), 'utf8');
        expect(text).toContain('<<marker:0xbaba:');
        expect(text).not.toContain('placeholder.invalid');
      }
    } finally {
      built.cleanup();
    }
  });
});

describe('operations', () => {
  it('alarms on API 5xx, on every function error and throttle and on table throttling, all to one topic', () => {
    const topicId = logicalId('AWS::SNS::Topic');
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[];
    expect(alarms).toHaveLength(1 + 2 * ROUTES.length + 1);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.Threshold).toBe(1);
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalId('AWS::ApiGatewayV2::Api') } }],
    });
    for (const route of ROUTES) {
      const [fnId] = routeFunction(route);
      for (const metric of ['Errors', 'Throttles']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId } }],
        });
      }
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ReadThrottleEvents' }) }),
        }),
      ]),
    });
  });

  it('subscribes the alarm e-mail when one is given', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    const withEmail = synth({ context: { alarmEmail: 'it@regione.example.it' } });
    try {
      withEmail.template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'it@regione.example.it',
      });
    } finally {
      withEmail.cleanup();
    }
  });

  it('outputs the API URL, the add-in and manifest URLs and the user pool', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining(['ApiUrl', 'AddinUrl', 'ManifestUrl', 'UserPoolId', 'UserPoolClientId', 'HostedUiUrl']),
    );
    expect(outputs.ApiUrl?.Value).toEqual({
      'Fn::Join': [
        '',
        [
          'https://',
          { Ref: logicalId('AWS::ApiGatewayV2::Api') },
          '.execute-api.',
          { Ref: 'AWS::Region' },
          '.',
          { Ref: 'AWS::URLSuffix' },
        ],
      ],
    });
    expect(outputs.UserPoolId?.Value).toEqual({ Ref: logicalId('AWS::Cognito::UserPool') });
  });
});
