/**
 * The ISTAT list of comuni as an index. Parsing is pure; reading the file is the caller's job (the Lambda and the
 * command line read it from disk, the add-in fetches it), so the shared bundle stays small.
 */

export interface Comune {
  readonly code: string;
  readonly name: string;
  readonly provinceCode: string;
  readonly provinceAbbreviation: string;
  readonly regionCode: string;
  readonly regionName: string;
  readonly cadastralCode: string;
  /** Resident population at 1 January of each year for which ISTAT data is loaded. */
  readonly population: Readonly<Record<string, number>>;
}

export interface ComuniIndex {
  readonly validFrom: string;
  get(code: string): Comune | undefined;
  byRegion(regionCode: string): readonly Comune[];
  readonly size: number;
}

const POPULATION_COLUMN = /^popolazione_(\d{4})_01_01$/;

/**
 * Splits one CSV line with RFC 4180 quotes. A line without quotes (all of ISTAT's, today) is split natively: the
 * character loop below, run over the whole list on a function's first request, cost 50 ms of it, most of that in
 * garbage collection of the strings it built one character at a time (`npm run bench -- coldstart`).
 */
function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        current += '"';
        index++;
      } else if (char === '"') {
        quoted = false;
      } else {
        current += char;
      }
    } else if (char === '"') {
      quoted = true;
    } else if (char === ',') {
      fields.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  fields.push(current);
  return fields;
}

export function parseComuniCsv(text: string, validFrom = '2025-01-01'): ComuniIndex {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = splitCsvLine(lines[0] ?? '');
  const position = (name: string): number => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`ISTAT comuni file: missing column ${name}`);
    return index;
  };
  const columns = {
    code: position('codice_comune'),
    name: position('nome'),
    provinceCode: position('codice_provincia'),
    provinceAbbreviation: position('sigla_provincia'),
    regionCode: position('codice_regione'),
    regionName: position('nome_regione'),
    cadastralCode: position('codice_catastale'),
  };
  const populationColumns = header
    .map((name, index) => ({ year: POPULATION_COLUMN.exec(name)?.[1], index }))
    .filter((entry): entry is { year: string; index: number } => entry.year !== undefined);

  const comune = (line: string): Comune => {
    const fields = splitCsvLine(line);
    const field = (index: number): string => fields[index] ?? '';
    const population: Record<string, number> = {};
    for (const { year, index } of populationColumns) {
      const value = Number(field(index));
      if (field(index) !== '' && Number.isFinite(value)) population[year] = value;
    }
    return {
      code: field(columns.code),
      name: field(columns.name),
      provinceCode: field(columns.provinceCode),
      provinceAbbreviation: field(columns.provinceAbbreviation),
      regionCode: field(columns.regionCode),
      regionName: field(columns.regionName),
      cadastralCode: field(columns.cadastralCode),
      population,
    };
  };

  // One pass reads only each line's code and Region; a line becomes a Comune when a request asks for it. A request
  // needs a few comuni or one Region's, and building all 7,900 on a function's first request cost it 60–100 ms
  // (`npm run bench -- coldstart`). The same line always gives the same object.
  const lineByCode = new Map<string, string>();
  const linesByRegion = new Map<string, string[]>();
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const code = fieldAt(line, columns.code);
    const region = fieldAt(line, columns.regionCode);
    lineByCode.set(code, line);
    const regionLines = linesByRegion.get(region);
    if (regionLines) regionLines.push(line);
    else linesByRegion.set(region, [line]);
  }
  const built = new Map<string, Comune>();
  const comuneOf = (line: string): Comune => {
    let entry = built.get(line);
    if (!entry) {
      entry = comune(line);
      built.set(line, entry);
    }
    return entry;
  };
  const byRegion = new Map<string, readonly Comune[]>();
  return {
    validFrom,
    size: lineByCode.size,
    get: (code) => {
      const line = lineByCode.get(code);
      return line === undefined ? undefined : comuneOf(line);
    },
    byRegion: (regionCode) => {
      let list = byRegion.get(regionCode);
      if (!list) {
        list = (linesByRegion.get(regionCode) ?? []).map(comuneOf);
        byRegion.set(regionCode, list);
      }
      return list;
    },
  };
}

/** The field at a position of a CSV line, without splitting the rest of an unquoted line. */
function fieldAt(line: string, position: number): string {
  if (line.includes('"')) return splitCsvLine(line)[position] ?? '';
  let start = 0;
  for (let skipped = 0; skipped < position; skipped++) {
    const comma = line.indexOf(',', start);
    if (comma < 0) return '';
    start = comma + 1;
  }
  const end = line.indexOf(',', start);
  return line.slice(start, end < 0 ? line.length : end);
}

/** ISTAT names compare case- and accent-insensitively, and bilingual names match either half ("Aldino/Aldein"). */
export function comuneNameMatches(comune: Comune, typed: string): boolean {
  const fold = (text: string): string =>
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      // \u2019 (’) escaped keeps the functions' bundles ASCII (infra/bundling.ts, BUNDLE_CHARSET).
      .replace(/[\u2019`]/g, "'")
      .replace(/\s+/g, ' ')
      .trim()
      .toLowerCase();
  const wanted = fold(typed);
  if (wanted === fold(comune.name)) return true;
  return comune.name.split('/').some((part) => fold(part) === wanted);
}
