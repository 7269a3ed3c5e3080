/**
 * The one logger of every function: one JSON line per entry on stdout, which CloudWatch Logs stores as it is and Logs
 * Insights reads field by field. Nothing a user typed goes in here — no token, no submission content, no name — only
 * codes (ATS, period, route), counts, durations and error classes.
 *
 * The lines have the shape Powertools' Logger gave them (level, message, timestamp, service, xray_trace_id, then the
 * appended keys and the entry's own fields), without Powertools: importing and constructing it cost every function
 * 13–20 ms of its cold import (`npm run bench -- coldstart`), for the four methods used here.
 *
 * Level: LOG_LEVEL (set by the CDK stack), or AWS_LAMBDA_LOG_LEVEL when Lambda's logging configuration sets an
 * application log level; INFO otherwise. SERVICE_NAME names the service (default rendiconta-leps).
 */

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';

const RANK: Record<LogLevel, number> = { DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, SILENT: 28 };

function levelFrom(value: string | undefined): LogLevel | undefined {
  const upper = value?.toUpperCase();
  return upper !== undefined && upper in RANK ? (upper as LogLevel) : undefined;
}

type Fields = Record<string, unknown>;

export class Logger {
  private level: LogLevel;
  private keys: Fields = {};

  constructor(
    private readonly service: string,
    level?: LogLevel,
    private readonly write: (line: string) => void = (line) => process.stdout.write(line),
  ) {
    this.level =
      level ?? levelFrom(process.env.AWS_LAMBDA_LOG_LEVEL) ?? levelFrom(process.env.LOG_LEVEL) ?? ('INFO' as const);
  }

  setLogLevel(level: LogLevel): void {
    this.level = level;
  }

  getLevelName(): LogLevel {
    return this.level;
  }

  /** Keys added to every following entry until resetKeys (the request id, the route). */
  appendKeys(keys: Fields): void {
    this.keys = { ...this.keys, ...keys };
  }

  resetKeys(): void {
    this.keys = {};
  }

  debug(message: string, fields?: Fields): void {
    this.log('DEBUG', message, fields);
  }

  info(message: string, fields?: Fields): void {
    this.log('INFO', message, fields);
  }

  warn(message: string, fields?: Fields): void {
    this.log('WARN', message, fields);
  }

  error(message: string, fields?: Fields): void {
    this.log('ERROR', message, fields);
  }

  private log(level: LogLevel, message: string, fields: Fields | undefined): void {
    if (RANK[level] < RANK[this.level]) return;
    const trace = process.env._X_AMZN_TRACE_ID?.match(/Root=([^;]+)/)?.[1];
    const entry = {
      level,
      message,
      timestamp: new Date().toISOString(),
      service: this.service,
      ...(trace ? { xray_trace_id: trace } : {}),
      ...this.keys,
      ...fields,
    };
    this.write(`${JSON.stringify(entry)}\n`);
  }
}

export const logger = new Logger(process.env.SERVICE_NAME || 'rendiconta-leps');
