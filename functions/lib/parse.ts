import type * as z from 'zod/mini';
import { toSchemaIssues } from '../../shared/contract/issues.ts';
import { badRequest } from './http.ts';
import { type Event, header, jsonBody } from './request.ts';

/** Parses a JSON body with a contract schema; a mismatch is a 400 with the Italian issues. */
export function parseBody<T extends z.ZodMiniType>(event: Event, schema: T, message: string): z.infer<T> {
  const { value } = jsonBody(event);
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(message, toSchemaIssues(result.error), 'SCHEMA');
  return result.data;
}

/** X-Client-Version ("addin/1.2.0", "cli/1.0.0") goes into the audit trail; anything odd is dropped, not trusted. */
export function clientVersion(event: Event): string | null {
  const value = header(event, 'x-client-version');
  return value && /^[\w.\-/+ ]{1,80}$/.test(value) ? value : null;
}
