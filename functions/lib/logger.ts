import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger of every function: JSON lines with the request id. Nothing a user typed goes in here — no token, no
 * submission content, no name — only codes (ATS, period, route), counts, durations and error classes.
 */
export const logger = new Logger({ serviceName: 'rendiconta-leps' });
