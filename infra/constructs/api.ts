import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CATCH_ALL_ROUTE, isPathRoute, ROUTES, type RouteDef, routeKey } from '../../functions/routes.ts';
import { API_CORS } from '../../shared/contract/cors.ts';
import {
  ENABLE_SOURCE_MAPS,
  ESM_BANNER,
  externalModules,
  handlerEntry,
  loweredSyntaxArgs,
  MAIN_FIELDS,
  PROCESS_ALIAS_ARG,
  PROCESS_ALIAS_VALUE,
  SOURCE_MAPS_OPTION,
} from '../bundling.ts';
import { memorySizeMb, timeoutSeconds } from '../function-sizing.ts';
import { REPO_ROOT } from '../paths.ts';
import { deriveTableAccess } from '../table-access.ts';
import type { DataTable } from './data.ts';

/** Where each bundle keeps its data files, beside index.mjs in the Lambda task root. */
export const LAMBDA_TASK_ROOT = '/var/task';
export const REFERENCE_DATA_DIR = `${LAMBDA_TASK_ROOT}/reference`;
export const TEMPLATE_XLSX_DIR = `${LAMBDA_TASK_ROOT}/templates`;
/** Routes that serve the generated .xlsx templates (dist/templates, from `npm run build:templates`). */
export const ROUTES_WITH_TEMPLATE_FILES: ReadonlySet<string> = new Set(['getTemplate']);
export const SERVICE_NAME = 'rendiconta-leps';
/** The newest Node.js runtime aws-cdk-lib offers (nodejs20.x is deprecated). */
export const RUNTIME = lambda.Runtime.NODEJS_24_X;

const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integration.latency',
  integrationError: '$context.integration.error',
  authorizerError: '$context.authorizer.error',
};

export interface ApiProps {
  readonly data: DataTable;
  readonly userPool: cognito.IUserPool;
  readonly client: cognito.IUserPoolClient;
  /** Other app clients whose ID tokens the API accepts: the command line's (`rendiconta accedi`). */
  readonly otherClients?: readonly cognito.IUserPoolClient[];
  /** The only origin CORS allows: https://<cloudfront domain>. */
  readonly addinOrigin: string;
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly logRetention: logs.RetentionDays;
}

export interface RouteFunction {
  readonly route: RouteDef;
  readonly fn: nodejs.NodejsFunction;
  readonly role: iam.Role;
}

/**
 * One NodejsFunction per route of functions/routes.ts behind one HTTP API. Each function has its own role with only
 * the log-group and table actions its route declares, so a read-only route cannot write even if its code is wrong.
 */
export class Api extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly functions: readonly RouteFunction[];
  readonly accessLogs: logs.LogGroup;
  /** The API Gateway route of each route id (the catch-all's is the `$default` route). */
  readonly routes = new Map<string, apigwv2.HttpRoute>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'Rendiconta LEPS API (contract v1)',
      createDefaultStage: false,
      // One definition for AWS and the local stack (shared/contract/cors.ts).
      corsPreflight: {
        allowOrigins: [props.addinOrigin],
        allowMethods: API_CORS.allowMethods.map((method) => method as apigwv2.CorsHttpMethod),
        allowHeaders: [...API_CORS.allowHeaders],
        exposeHeaders: [...API_CORS.exposeHeaders],
        maxAge: Duration.seconds(API_CORS.maxAgeSeconds),
      },
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        // No source IP, user id or e-mail: who did what is in the application's audit trail, not in access logs.
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });

    const authorizer = new HttpUserPoolAuthorizer('CognitoJwt', props.userPool, {
      userPoolClients: [props.client, ...(props.otherClients ?? [])],
      identitySource: ['$request.header.Authorization'],
    });

    this.functions = ROUTES.map((route) => {
      const { fn, role } = this.routeFunction(route, props);
      const integration = new HttpLambdaIntegration(`${route.id}Integration`, fn);
      if (isPathRoute(route)) {
        const [httpRoute] = this.httpApi.addRoutes({
          path: route.path,
          methods: [apigwv2.HttpMethod[route.method]],
          integration,
          authorizer: route.authorized ? authorizer : new apigwv2.HttpNoneAuthorizer(),
        });
        if (httpRoute) this.routes.set(route.id, httpRoute);
      } else {
        // The `$default` route: whatever no other route matches gets the contract's Italian 404/405 from a function,
        // not API Gateway's English 404 ("Working with the $default route",
        // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html). Without an
        // authorizer: CORS preflights are still answered by API Gateway itself ("Configure CORS for HTTP APIs",
        // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html: API Gateway answers
        // preflight OPTIONS requests even without an OPTIONS route; the page's one caveat for `$default` is a
        // `$default` route with an authorizer, which would also catch the unauthenticated preflights).
        this.routes.set(
          route.id,
          new apigwv2.HttpRoute(this, 'DefaultRoute', {
            httpApi: this.httpApi,
            routeKey: apigwv2.HttpRouteKey.DEFAULT,
            integration,
            authorizer: new apigwv2.HttpNoneAuthorizer(),
          }),
        );
      }
      return { route, fn, role };
    });
  }

  /** GET /v1/health, the one path route without the authorizer. */
  get healthRoute(): apigwv2.HttpRoute {
    const route = this.routes.get('health');
    if (!route) throw new Error('functions/routes.ts has no route with id "health"');
    return route;
  }

  /** The `$default` route, the catch-all, also without the authorizer. */
  get defaultRoute(): apigwv2.HttpRoute {
    const route = this.routes.get(CATCH_ALL_ROUTE.id);
    if (!route) throw new Error('functions/routes.ts has no catch-all route');
    return route;
  }

  /** The API's base URL, e.g. https://abc123.execute-api.eu-south-1.amazonaws.com (routes start with /v1). */
  get url(): string {
    return `https://${this.httpApi.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`;
  }

  private routeFunction(route: RouteDef, props: ApiProps) {
    const logGroup = new logs.LogGroup(this, `${route.id}Logs`, { retention: props.logRetention });
    const role = new iam.Role(this, `${route.id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Rendiconta LEPS ${routeKey(route)}`,
    });
    // Instead of the AWSLambdaBasicExecutionRole managed policy (any log group): only this function's own.
    role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    // Exactly what the handler's code can send, on the partitions its code builds keys for (infra/table-access.ts).
    const access = deriveTableAccess(route.id);
    if (access.actions.length > 0) {
      role.addToPolicy(
        new iam.PolicyStatement({
          actions: [...access.actions],
          resources: props.data.resourceArns(),
          // Every key of every item a request names must start with one of these partition prefixes
          // (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html).
          conditions: {
            'ForAllValues:StringLike': {
              'dynamodb:LeadingKeys': access.partitionKeyPrefixes.map((prefix) => `${prefix}*`),
            },
          },
        }),
      );
    }

    const environment: Record<string, string> = {
      SERVICE_NAME,
      LOG_LEVEL: 'INFO',
    };
    // Off by default: source maps slow the cold import (infra/bundling.ts).
    if (ENABLE_SOURCE_MAPS) environment.NODE_OPTIONS = SOURCE_MAPS_OPTION;
    if (access.actions.length > 0) environment.TABLE_NAME = props.data.table.tableName;
    if (route.needsReferenceData) environment.REFERENCE_DATA_DIR = REFERENCE_DATA_DIR;
    if (ROUTES_WITH_TEMPLATE_FILES.has(route.id)) environment.TEMPLATE_XLSX_DIR = TEMPLATE_XLSX_DIR;

    const fn = new nodejs.NodejsFunction(this, route.id, {
      description: `Rendiconta LEPS ${routeKey(route)}`,
      entry: handlerEntry(route.id),
      handler: 'handler',
      runtime: RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: memorySizeMb(route),
      timeout: Duration.seconds(timeoutSeconds(route)),
      role,
      logGroup,
      environment,
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      bundling: {
        minify: true,
        sourceMap: true,
        // Line mappings are all a stack trace needs; leaving the sources out keeps the bundle small.
        sourcesContent: false,
        format: nodejs.OutputFormat.ESM,
        // ASCII only, as BUNDLE_CHARSET (infra/bundling.ts) says why.
        charset: nodejs.Charset.ASCII,
        mainFields: MAIN_FIELDS,
        banner: ESM_BANNER,
        // The AWS SDK is bundled (tree-shaken): it imports faster than the runtime's copy (infra/bundling.ts).
        externalModules: externalModules(),
        // node:process from the global: its ESM namespace would create the stdio streams at import (infra/bundling.ts).
        // Arrow functions lowered: V8 parses every arrow of a module in full at import (infra/bundling.ts).
        esbuildArgs: { [PROCESS_ALIAS_ARG]: PROCESS_ALIAS_VALUE, ...loweredSyntaxArgs() },
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir, outputDir) => dataFileCommands(route, inputDir, outputDir),
        },
      },
    });
    return { fn, role };
  }
}

/** Shell commands that copy the data files a route reads into its bundle (run by NodejsFunction after esbuild). */
export function dataFileCommands(route: RouteDef, inputDir: string, outputDir: string): string[] {
  const commands: string[] = [];
  if (route.needsReferenceData) {
    commands.push(
      `mkdir -p "${outputDir}/reference"`,
      `cp "${inputDir}/shared/reference/data/comuni_italia_2025.csv" "${inputDir}/shared/reference/data/ATTRIBUTION.md" "${outputDir}/reference/"`,
    );
  }
  // Checked when synthesis asks for the commands: bundling runs locally, so inputDir is the repository itself.
  if (ROUTES_WITH_TEMPLATE_FILES.has(route.id) && existsSync(join(inputDir, 'dist', 'templates'))) {
    commands.push(
      `mkdir -p "${outputDir}/templates"`,
      `find "${inputDir}/dist/templates" -maxdepth 1 -name '*.xlsx' -exec cp {} "${outputDir}/templates/" ';'`,
    );
  }
  return commands;
}
