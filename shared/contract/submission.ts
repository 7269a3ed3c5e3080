import * as z from 'zod/mini';
import { columnHelp } from '../template/help.ts';
import { TEMPLATES, templatesRevision } from '../template/index.ts';
import type { ColumnDef, SheetDef, SheetId, TemplateDef } from '../template/types.ts';
import { SHEET_IDS } from '../template/types.ts';
import { ATS_CODE, PERIOD } from './codes.ts';
import { type SchemaIssue, toSchemaIssues } from './issues.ts';

/**
 * The submission as it travels (contract.md "Submission"), with schemas derived from the template definition.
 *
 * Two schemas on purpose:
 * - the intake schema checks the envelope (no member it does not name), that every row's keys are columns of its
 *   sheet and that every cell is a JSON scalar. A number typed as "1.234,56" or a date typed as "31/12/2025" is not a
 *   schema error: it reaches the checks, which read it and report S.3 on its cell, so the accountant sees the problem
 *   where it is. A key that is no column (`__proto__`, `constructor`, a stray name) is refused, so nothing is stored,
 *   hashed or shown to a reviewer that no check has read.
 * - the strict schema says what a well-formed submission looks like, column by column; the JSON Schema published by
 *   GET /v1/templates/{id}/{version} is generated from it.
 */

export const LIMITS = {
  /** Rows per sheet: far above any ATS, low enough to bound memory. */
  maxRowsPerSheet: 200_000,
  maxCellLength: 4_000,
  maxCommentLength: 4_000,
} as const;

export { ATS_CODE, PERIOD };

/** A cell as the intake schema admits it: any JSON scalar (the checks read what it means). */
export type SubmissionCell = string | number | boolean | null;

/**
 * The column keys a row of each sheet may carry: those of the sheet in any published template version, so a return
 * made on an earlier version still reaches the checks of its own version (and S.2 says a newer one exists). Derived
 * again only when the published versions change.
 */
let intake: { readonly revision: number; readonly columns: Record<SheetId, ReadonlySet<string>> } | undefined;

export function intakeColumns(sheet: SheetId): ReadonlySet<string> {
  if (intake?.revision !== templatesRevision()) {
    const columns = Object.fromEntries(
      SHEET_IDS.map((id) => [
        id,
        new Set(
          TEMPLATES.flatMap((template) => template.sheets.find((entry) => entry.id === id)?.columns ?? []).map(
            (column) => column.key,
          ),
        ),
      ]),
    ) as unknown as Record<SheetId, ReadonlySet<string>>;
    intake = { revision: templatesRevision(), columns };
  }
  return intake.columns[sheet];
}

/*
 * The intake schema is built on first use, not when this module loads: the check engine takes a plain JSON submission
 * the schema surely accepts without it (shared/checks/engine.ts parsePlainSubmission), so only an unusual or wrong
 * body needs zod, and building some sixty zod schemas at import cost every function that validates (validate, PUT,
 * the consolidated view) part of its cold start (`npm run bench -- coldstart`).
 */

function cellSchema() {
  return z.union([
    z
      .string()
      .check(z.maxLength(LIMITS.maxCellLength, `Testo troppo lungo (massimo ${LIMITS.maxCellLength} caratteri).`)),
    z.number({ error: 'Numero non valido.' }),
    z.boolean(),
    z.null(),
  ]);
}

/** zod's record drops an own `__proto__` member without a word: it is refused before the record reads the row. */
function noProtoMember() {
  return z.custom<unknown>((row) => typeof row !== 'object' || row === null || !Object.hasOwn(row, '__proto__'), {
    error: 'Colonna "__proto__" non prevista dal modello.',
  });
}

function intakeSheet(sheet: SheetId, cell: ReturnType<typeof cellSchema>, noProto: ReturnType<typeof noProtoMember>) {
  const column = z.string().check(
    z.refine((key) => intakeColumns(sheet).has(key), {
      error: `Colonna non prevista dal modello nel foglio ${sheet}.`,
    }),
  );
  const row = z.pipe(
    noProto,
    z.record(column, cell, {
      // Only for a row that is no object: a refused key keeps its own message (above).
      error: (issue) =>
        issue.code === 'invalid_type' ? 'Ogni riga deve essere un oggetto con i nomi delle colonne.' : undefined,
    }),
  );
  return z
    .array(row, { error: 'Ogni foglio deve essere un elenco di righe.' })
    .check(z.maxLength(LIMITS.maxRowsPerSheet, `Troppe righe in un foglio (massimo ${LIMITS.maxRowsPerSheet}).`));
}

type IntakeSheet = ReturnType<typeof intakeSheet>;

function buildIntakeSchema() {
  const cell = cellSchema();
  const noProto = noProtoMember();
  const sheetsShape = Object.fromEntries(
    SHEET_IDS.map((id) => [id, z.optional(intakeSheet(id, cell, noProto))]),
  ) as Record<SheetId, z.ZodMiniOptional<IntakeSheet>>;
  return z.strictObject({
    template: z
      .string({ error: 'Indicare il modello (template).' })
      .check(z.minLength(1, 'Indicare il modello (template).')),
    templateVersion: z.string({ error: 'Indicare la versione del modello (templateVersion).' }),
    ats: z
      .string({ error: 'Indicare il codice Ambito (ats).' })
      .check(z.regex(ATS_CODE, 'Codice Ambito non valido: atteso ATS-RR-NNN (es. ATS-16-002).')),
    period: z
      .string({ error: 'Indicare il periodo (period).' })
      .check(z.regex(PERIOD, 'Periodo non valido: atteso AAAA-12-31 (annuale) o AAAA-08-31 (intermedio).')),
    sheets: z.strictObject(sheetsShape, { error: 'I fogli ammessi sono T1, T2, T3, T4, T5 e T6.' }),
    comment: z.optional(
      z.nullable(
        z
          .string()
          .check(
            z.maxLength(
              LIMITS.maxCommentLength,
              `Commento troppo lungo (massimo ${LIMITS.maxCommentLength} caratteri).`,
            ),
          ),
      ),
    ),
  });
}

let intakeSchema: ReturnType<typeof buildIntakeSchema> | undefined;

function submissionIntakeSchema(): ReturnType<typeof buildIntakeSchema> {
  intakeSchema ??= buildIntakeSchema();
  return intakeSchema;
}

export type SubmissionRow = Readonly<Record<string, SubmissionCell>>;
export type Submission = z.infer<ReturnType<typeof buildIntakeSchema>>;

export { type SchemaIssue, toSchemaIssues };

export type ParseResult = { ok: true; submission: Submission } | { ok: false; issues: SchemaIssue[] };

export function parseSubmission(value: unknown): ParseResult {
  const result = submissionIntakeSchema().safeParse(value);
  return result.success ? { ok: true, submission: result.data } : { ok: false, issues: toSchemaIssues(result.error) };
}

function strictColumnSchema(template: TemplateDef, sheet: SheetId, column: ColumnDef): z.ZodMiniType {
  let schema: z.ZodMiniType;
  const codes = column.codeList ? template.codeLists[column.codeList].values.map((entry) => entry.code) : [];
  switch (column.type) {
    case 'code':
    case 'flag':
      if (codes.length > 0) {
        schema = z.enum(codes as [string, ...string[]]);
      } else {
        schema = column.pattern ? z.string().check(z.regex(new RegExp(column.pattern))) : z.string();
      }
      break;
    case 'text':
      schema = column.pattern
        ? z.string().check(z.regex(new RegExp(column.pattern)), z.maxLength(column.maxLength ?? LIMITS.maxCellLength))
        : z.string().check(z.maxLength(column.maxLength ?? LIMITS.maxCellLength));
      break;
    case 'integer': {
      const checks = [];
      if (column.min !== undefined) checks.push(z.gte(column.min));
      if (column.minExclusive !== undefined) checks.push(z.gt(column.minExclusive));
      if (column.max !== undefined) checks.push(z.lte(column.max));
      schema = z.int().check(...checks);
      break;
    }
    case 'decimal':
    case 'money': {
      const checks = [];
      if (column.min !== undefined) checks.push(z.gte(column.min));
      if (column.minExclusive !== undefined) checks.push(z.gt(column.minExclusive));
      if (column.max !== undefined) checks.push(z.lte(column.max));
      schema = z.number().check(...checks);
      break;
    }
    case 'date':
      schema = z.iso.date();
      break;
  }
  const described = schema.register(z.globalRegistry, {
    title: column.header,
    description: columnHelp(template, sheet, column.key),
  });
  return column.requirement === 'required' ? described : z.optional(z.nullable(described));
}

function strictSheetSchema(template: TemplateDef, sheet: SheetDef): z.ZodMiniType {
  const shape = Object.fromEntries(
    sheet.columns.map((column) => [column.key, strictColumnSchema(template, sheet.id, column)]),
  );
  const row = z.strictObject(shape).register(z.globalRegistry, { title: sheet.title, description: sheet.description });
  return sheet.singleRow ? z.array(row).check(z.maxLength(1)) : z.array(row);
}

/** The strict submission schema of one template version, derived column by column from its definition. */
export function strictSubmissionSchema(template: TemplateDef): z.ZodMiniType {
  const sheets = Object.fromEntries(template.sheets.map((sheet) => [sheet.id, strictSheetSchema(template, sheet)]));
  return z.object({
    template: z.literal(template.id),
    templateVersion: z.literal(template.version),
    ats: z.string().check(z.regex(ATS_CODE)),
    period: z.string().check(z.regex(PERIOD)),
    sheets: z.strictObject(sheets),
    comment: z.optional(z.nullable(z.string().check(z.maxLength(LIMITS.maxCommentLength)))),
  });
}

/** The JSON Schema (draft 2020-12) of a template version's submission. */
export function submissionJsonSchema(template: TemplateDef): Record<string, unknown> {
  const schema = z.toJSONSchema(strictSubmissionSchema(template), { unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    $id: `urn:rendiconta-leps:${template.id}:${template.version}`,
    title: `${template.title} (${template.id} ${template.version})`,
  };
}
