import { describe, expect, it } from 'vitest';
import { loadComuni } from '../../functions/lib/reference-data.ts';
import { syntheticRegion } from '../../shared/demo/ats.ts';
import { DEMO_PERIOD, generateSubmission } from '../../shared/demo/generate.ts';
import {
  ATS_CODE,
  type ColumnDef,
  columnHelp,
  LEPS_ATS,
  LIMITS,
  PERIOD,
  type Submission,
  strictSubmissionSchema,
  submissionJsonSchema,
  TEMPLATES,
} from '../../shared/index.ts';

/**
 * The JSON Schema published by GET /v1/templates/{id}/{version} and the strict zod schema both derive from the template
 * definition: every sheet and column is there with its type, code list, bounds and requirement.
 */

type Schema = Record<string, unknown>;

const jsonSchema = submissionJsonSchema(LEPS_ATS) as Schema;
const comuni = loadComuni();

function child(schema: unknown, ...path: string[]): Schema {
  let current: unknown = schema;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) throw new Error(`No ${path.join('.')} in the schema`);
    current = (current as Schema)[key];
  }
  if (typeof current !== 'object' || current === null) throw new Error(`No ${path.join('.')} in the schema`);
  return current as Schema;
}

/** An optional column is `anyOf: [its schema, null]`: the schema of its value. */
function valueSchema(property: Schema): Schema {
  const options = property.anyOf;
  if (!Array.isArray(options)) return property;
  expect(options).toContainEqual({ type: 'null' });
  const value = options.find((option: Schema) => option.type !== 'null');
  return value as Schema;
}

const JSON_TYPE: Record<ColumnDef['type'], string> = {
  code: 'string',
  text: 'string',
  flag: 'string',
  date: 'string',
  integer: 'integer',
  decimal: 'number',
  money: 'number',
};

function sheetSchema(sheetId: string): Schema {
  return child(jsonSchema, 'properties', 'sheets', 'properties', sheetId);
}

function generated(period = DEMO_PERIOD, rows?: number): Submission {
  const ats = syntheticRegion('08', comuni)[4];
  if (!ats) throw new Error('No synthetic ATS');
  return generateSubmission({ ats, regionCode: '08', comuni, period, seed: 31, ...(rows ? { rows } : {}) });
}

/** The part of JSON Schema the definition uses (type, enum, const, required, additionalProperties, bounds). */
function conforms(value: unknown, schema: Schema): boolean {
  if (Array.isArray(schema.anyOf)) return schema.anyOf.some((option: Schema) => conforms(value, option));
  if ('const' in schema && value !== schema.const) return false;
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return false;
  switch (schema.type) {
    case 'null':
      return value === null;
    case 'string':
      if (typeof value !== 'string') return false;
      if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) return false;
      return typeof schema.maxLength !== 'number' || value.length <= schema.maxLength;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || (schema.type === 'integer' && !Number.isInteger(value))) return false;
      if (typeof schema.minimum === 'number' && value < schema.minimum) return false;
      if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) return false;
      return typeof schema.maximum !== 'number' || value <= schema.maximum;
    case 'array':
      if (!Array.isArray(value)) return false;
      if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return false;
      return value.every((item) => conforms(item, schema.items as Schema));
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
      const record = value as Record<string, unknown>;
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required ?? []) as string[];
      if (required.some((key) => record[key] === undefined)) return false;
      return Object.entries(record).every(([key, item]) => {
        const property = properties[key];
        if (!property) return schema.additionalProperties !== false;
        return item === undefined || conforms(item, property);
      });
    }
    default:
      return true;
  }
}

describe('the JSON Schema of LEPS-ATS', () => {
  it('is draft 2020-12 with the template in its id and the envelope of the contract', () => {
    expect(jsonSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(jsonSchema.$id).toBe(`urn:rendiconta-leps:${LEPS_ATS.id}:${LEPS_ATS.version}`);
    expect(jsonSchema.required).toEqual(['template', 'templateVersion', 'ats', 'period', 'sheets']);
    expect(child(jsonSchema, 'properties', 'template').const).toBe(LEPS_ATS.id);
    expect(child(jsonSchema, 'properties', 'templateVersion').const).toBe(LEPS_ATS.version);
    expect(child(jsonSchema, 'properties', 'ats').pattern).toBe(ATS_CODE.source);
    expect(child(jsonSchema, 'properties', 'period').pattern).toBe(PERIOD.source);
    expect(valueSchema(child(jsonSchema, 'properties', 'comment'))).toEqual({
      type: 'string',
      maxLength: LIMITS.maxCommentLength,
    });
  });

  it('names every sheet, and no other', () => {
    const sheets = child(jsonSchema, 'properties', 'sheets');
    expect(Object.keys(child(sheets, 'properties'))).toEqual(LEPS_ATS.sheets.map((sheet) => sheet.id));
    expect(sheets.additionalProperties).toBe(false);
    for (const sheet of LEPS_ATS.sheets) {
      const schema = sheetSchema(sheet.id);
      expect(schema.type).toBe('array');
      expect(schema.maxItems).toBe(sheet.singleRow ? 1 : undefined);
      expect(child(schema, 'items').title).toBe(sheet.title);
      expect(child(schema, 'items').additionalProperties).toBe(false);
    }
  });

  it('has Italian help for every column of every published template, and none for a column it lacks', () => {
    for (const template of TEMPLATES) {
      for (const sheet of template.sheets) {
        for (const column of sheet.columns) {
          expect(columnHelp(template, sheet.id, column.key), `${sheet.id}.${column.key}`).toMatch(/\p{L}{3}/u);
        }
      }
      expect(columnHelp(template, 'T1', 'COLONNA_INESISTENTE')).toBe('');
    }
  });

  it('names every column of each sheet with its JSON type, title and help', () => {
    for (const sheet of LEPS_ATS.sheets) {
      const properties = child(sheetSchema(sheet.id), 'items', 'properties');
      expect(Object.keys(properties)).toEqual(sheet.columns.map((column) => column.key));
      for (const column of sheet.columns) {
        const schema = valueSchema(child(properties, column.key));
        expect(schema.type, `${sheet.id}.${column.key}`).toBe(JSON_TYPE[column.type]);
        expect(schema.title).toBe(column.header);
        expect(schema.description).toBe(columnHelp(LEPS_ATS, sheet.id, column.key));
        if (column.type === 'date') expect(schema.format).toBe('date');
      }
    }
  });

  it('lists the code list of every coded column as its enum', () => {
    let coded = 0;
    for (const sheet of LEPS_ATS.sheets) {
      const properties = child(sheetSchema(sheet.id), 'items', 'properties');
      for (const column of sheet.columns) {
        const schema = valueSchema(child(properties, column.key));
        if (column.codeList) {
          coded++;
          // Same codes; zod lists integer-like codes ("10"…"20") before the others, and order means nothing in an enum.
          expect([...(schema.enum as string[])].sort(), `${sheet.id}.${column.key}`).toEqual(
            LEPS_ATS.codeLists[column.codeList].values.map((entry) => entry.code).sort(),
          );
        } else {
          expect(schema.enum).toBeUndefined();
          if (column.pattern) expect(schema.pattern).toBe(column.pattern);
        }
      }
    }
    expect(coded).toBeGreaterThan(20);
  });

  it('carries the bounds of numeric and text columns', () => {
    for (const sheet of LEPS_ATS.sheets) {
      const properties = child(sheetSchema(sheet.id), 'items', 'properties');
      for (const column of sheet.columns) {
        const schema = valueSchema(child(properties, column.key));
        // z.int() adds the safe-integer range where the column sets no bound of its own.
        const integer = column.type === 'integer';
        expect(schema.maximum, `${sheet.id}.${column.key}`).toBe(
          column.max ?? (integer ? Number.MAX_SAFE_INTEGER : undefined),
        );
        expect(schema.exclusiveMinimum).toBe(column.minExclusive);
        if (column.min !== undefined || !integer) expect(schema.minimum).toBe(column.min);
        else if (column.minExclusive === undefined) expect(schema.minimum).toBe(Number.MIN_SAFE_INTEGER);
        if (column.type === 'text') expect(schema.maxLength).toBe(column.maxLength ?? LIMITS.maxCellLength);
      }
    }
  });

  it('requires exactly the required columns; the others may be null or absent', () => {
    for (const sheet of LEPS_ATS.sheets) {
      const items = child(sheetSchema(sheet.id), 'items');
      const required = sheet.columns.filter((column) => column.requirement === 'required').map((column) => column.key);
      expect(items.required ?? [], sheet.id).toEqual(required);
      const properties = child(items, 'properties');
      for (const column of sheet.columns.filter((candidate) => candidate.requirement !== 'required')) {
        expect(child(properties, column.key).anyOf, `${sheet.id}.${column.key}`).toContainEqual({ type: 'null' });
      }
    }
  });

  it('describes the submissions the product generates', () => {
    expect(conforms(generated(), jsonSchema)).toBe(true);
    expect(conforms(generated(DEMO_PERIOD, 800), jsonSchema)).toBe(true);
    const wrong = structuredClone(generated());
    (wrong.sheets.T2?.[0] as Record<string, unknown>).POPOLAZIONE_RESIDENTE = '1.234';
    expect(conforms(wrong, jsonSchema)).toBe(false);
  });
});

describe('the strict zod schema', () => {
  const strict = strictSubmissionSchema(LEPS_ATS);

  it('accepts generated valid submissions, annual and interim', () => {
    for (const submission of [generated(), generated(DEMO_PERIOD, 1500), generated('2024-08-31', 400)]) {
      const result = strict.safeParse(submission);
      expect(result.success, JSON.stringify(result.error?.issues.slice(0, 3))).toBe(true);
    }
  });

  const breakages: ReadonlyArray<readonly [string, (submission: Submission) => void]> = [
    ['text in an integer column', (s) => set(s, 'T2', 'POPOLAZIONE_RESIDENTE', '12.000')],
    ['a decimal in an integer column', (s) => set(s, 'T1', 'ANNO_RIF', 2025.5)],
    ['a number in a code column', (s) => set(s, 'T2', 'COD_ISTAT_COMUNE', 25006)],
    ['a code outside its list', (s) => set(s, 'T4', 'FONDO', 'XYZ')],
    ['a lower-case flag', (s) => set(s, 'T1', 'UDP_PRESENTE', 's')],
    ['an Italian date', (s) => set(s, 'T4', 'DATA_RIF', '31/12/2025')],
    ['an impossible date', (s) => set(s, 'T3', 'DATA_INIZIO', '2025-02-30')],
    ['a boolean in a money column', (s) => set(s, 'T5', 'IMPEGNATO', true)],
    ['a negative amount', (s) => set(s, 'T4', 'IMPORTO_ASSEGNATO', -1)],
    ['a value above the maximum', (s) => set(s, 'T1', 'ANNO_RIF', 2031)],
    ['a malformed pattern', (s) => set(s, 'T1', 'PEC', 'non-una-pec')],
    ['an unknown column', (s) => set(s, 'T6', 'COLONNA_IN_PIU', 1)],
    ['a missing required column', (s) => set(s, 'T3', 'PROFILO', undefined)],
    ['null in a required column', (s) => set(s, 'T5', 'COD_LEPS', null)],
    ['two rows in the single-row sheet', (s) => s.sheets.T1?.push({ ...s.sheets.T1[0] })],
    ['an unknown sheet', (s) => Object.assign(s.sheets, { T7: [] })],
    ['another template version', (s) => Object.assign(s, { templateVersion: '2020.1' })],
    ['a malformed ATS code', (s) => Object.assign(s, { ats: 'ATS-5-1' })],
  ];

  function set(submission: Submission, sheet: 'T1' | 'T2' | 'T3' | 'T4' | 'T5' | 'T6', key: string, value: unknown) {
    const row = submission.sheets[sheet]?.[0] as Record<string, unknown> | undefined;
    if (!row) throw new Error(`No row in ${sheet}`);
    if (value === undefined) delete row[key];
    else row[key] = value;
  }

  it.each(breakages)('rejects %s', (_name, breakIt) => {
    const submission = structuredClone(generated());
    breakIt(submission);
    expect(strict.safeParse(submission).success).toBe(false);
    expect(conforms(submission, jsonSchema)).toBe(false);
  });
});
