import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { z } from 'zod';

/**
 * The deploy-time choices a Region's IT team makes, read from CDK context (`cdk deploy -c key=value` or cdk.json).
 * Context, not CfnParameters: every value shapes resources at synthesis (the Cognito domain, the MFA mode, the alarm
 * subscription), so it must be known before the template exists, and a wrong value fails here with a clear message
 * instead of halfway through a CloudFormation deployment.
 */
export interface StackConfig {
  /** Cognito hosted UI prefix: https://<prefix>.auth.<region>.amazoncognito.com. Unique within the AWS Region. */
  readonly authDomainPrefix: string;
  /** 'optional' offers TOTP to every user; 'required' forces it at first sign-in. */
  readonly mfa: 'optional' | 'required';
  /** Where alarm notifications go; none means the SNS topic exists and the team subscribes later. */
  readonly alarmEmail: string | undefined;
  /** Steady-state requests per second across the whole API (HTTP API stage throttling). */
  readonly apiRateLimit: number;
  /** Burst of concurrent requests the stage accepts above the rate. */
  readonly apiBurstLimit: number;
  /** Retention of every log group (functions, API access logs). */
  readonly logRetentionDays: RetentionDays;
}

/** The retention values CloudWatch Logs accepts: anything else would fail the deployment. */
const RETENTION_VALUES: readonly number[] = Object.values(RetentionDays).filter(
  (value): value is number => typeof value === 'number' && value > 0,
);

const ContextSchema = z.object({
  authDomainPrefix: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'lowercase letters, digits and hyphens, 1-63 characters')
    .refine(
      (prefix) => !/aws|amazon|cognito/.test(prefix),
      'Cognito rejects prefixes containing aws, amazon or cognito',
    ),
  mfa: z.enum(['optional', 'required'], 'ammessi: optional, required'),
  alarmEmail: z.email('indirizzo e-mail non valido').optional(),
  apiRateLimit: z.coerce.number().int().min(1).max(10_000),
  apiBurstLimit: z.coerce.number().int().min(1).max(5_000),
  logRetentionDays: z.coerce
    .number()
    .int()
    .refine((days) => RETENTION_VALUES.includes(days), `ammessi: ${RETENTION_VALUES.join(', ')}`),
});

/** Defaults sized for one Region (50-100 ATS): a few users at a time, bursts when a deadline nears. */
export const DEFAULT_CONTEXT = {
  authDomainPrefix: 'rendiconta-leps',
  mfa: 'optional',
  apiRateLimit: 50,
  apiBurstLimit: 100,
  logRetentionDays: 365,
} as const;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Reads and validates the context of `node` (usually the App); throws ConfigError naming every bad key. */
export function readConfig(node: Node): StackConfig {
  const raw = Object.fromEntries(
    [...Object.keys(ContextSchema.shape)].map((key) => [key, node.tryGetContext(key) ?? defaultFor(key)]),
  );
  const parsed = ContextSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `-c ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Parametri di deploy non validi:\n${problems.join('\n')}`);
  }
  const { alarmEmail, logRetentionDays, ...rest } = parsed.data;
  return { ...rest, alarmEmail, logRetentionDays: logRetentionDays as RetentionDays };
}

function defaultFor(key: string): unknown {
  return key in DEFAULT_CONTEXT ? DEFAULT_CONTEXT[key as keyof typeof DEFAULT_CONTEXT] : undefined;
}
