import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

/**
 * Office runs a task pane inside an iframe when Excel runs in a browser, and CSP frame-ancestors checks every ancestor:
 * the Office frame (officeapps.live.com) and the page around it (office.com, cloud.microsoft, a tenant's SharePoint
 * or OneDrive). X-Frame-Options cannot list origins (DENY or SAMEORIGIN would blank the add-in in Excel on the web),
 * so framing is limited here instead. Desktop Excel hosts the add-in as a top-level WebView, which this does not affect.
 */
export const OFFICE_FRAME_ANCESTORS = [
  "'self'",
  'https://*.officeapps.live.com',
  'https://*.office.com',
  'https://*.office365.com',
  'https://*.cloud.microsoft',
  'https://*.microsoft365.com',
  'https://*.sharepoint.com',
  'https://onedrive.live.com',
] as const;

export const CONTENT_SECURITY_POLICY = `frame-ancestors ${OFFICE_FRAME_ANCESTORS.join(' ')}`;

/**
 * The add-in's static files: a private bucket that only this CloudFront distribution can read (origin access
 * control), HTTPS only, with security headers on every response. Access logs of both go to a separate bucket.
 */
export class AddinHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly logBucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** The role of the function that copies the add-in into the bucket (set by deploy()). */
  deploymentRole: iam.Role | undefined;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.logBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are delivered with an ACL grant: the bucket must accept ACLs.
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new s3.Bucket(this, 'Files', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'addin-bucket/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'Rendiconta LEPS add-in: security headers, framing only by Office',
      securityHeadersBehavior: {
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
      },
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Rendiconta LEPS add-in',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // Europe and North America edges only: the users are in Italy, and this is the cheapest class.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
    });
  }

  /** The bucket's CloudFormation resource (cdk-nag names grants on it by its logical id). */
  get bucketResource(): s3.CfnBucket {
    return this.bucket.node.defaultChild as s3.CfnBucket;
  }

  /** https://<distribution domain>, without a trailing slash: the add-in's origin. */
  get origin(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  /**
   * Uploads the add-in's files (replacing and pruning what was there), then invalidates the cache. The copying
   * function gets a role of ours instead of the one aws-cdk-lib would make: that one carries the managed
   * AWSLambdaBasicExecutionRole policy, which allows logs:CreateLogGroup, CreateLogStream and PutLogEvents on every
   * resource ("Resource": "*", https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaBasicExecutionRole.html);
   * this role may write only to the function's own log group. BucketDeployment adds its S3 and CloudFront grants to it.
   */
  deploy(id: string, sources: s3deploy.ISource[], logRetention: logs.RetentionDays): s3deploy.BucketDeployment {
    const logGroup = new logs.LogGroup(this, `${id}Logs`, { retention: logRetention });
    this.deploymentRole = new iam.Role(this, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Rendiconta LEPS: copies the add-in into its bucket during deployment',
    });
    this.deploymentRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    // BucketDeployment allows cloudfront:CreateInvalidation and GetInvalidation on "*", though both actions take a
    // distribution ARN (aws-cdk-lib's own Distribution.grantCreateInvalidation scopes it): deny every other one.
    this.deploymentRole.addToPolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        actions: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
        notResources: [this.distribution.distributionArn],
      }),
    );
    return new s3deploy.BucketDeployment(this, id, {
      role: this.deploymentRole,
      logGroup,
      sources,
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
      memoryLimit: 512,
    });
  }
}
