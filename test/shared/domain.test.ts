import { describe, expect, it } from 'vitest';
import {
  cupYear,
  daysInService,
  daysInYear,
  entityCodiceFiscaleCheckDigit,
  formatItalianDate,
  isLeapYear,
  isValidCupFormat,
  isValidEntityCodiceFiscale,
  parseIsoDate,
  parseItalianDate,
  parseItalianNumber,
  staffRowFte,
} from '../../shared/index.ts';
import { anagrafica, comuni } from '../support/builders.ts';

/** The domain functions every check leans on: identifiers, Italian formats, days and FTE of a staff row. */

describe('entity codice fiscale (11 digits, check digit)', () => {
  // The comuni of the builders carry their real codici fiscali, as does the ente gestore.
  const real = [...comuni().map((row) => String(row.CF_COMUNE)), String(anagrafica().ENTE_GESTORE_CF)];

  it.each(real)('accepts the real codice fiscale %s', (cf) => {
    expect(isValidEntityCodiceFiscale(cf)).toBe(true);
    expect(entityCodiceFiscaleCheckDigit(cf.slice(0, 10))).toBe(Number(cf[10]));
  });

  it.each(real)('rejects %s with any other last digit', (cf) => {
    for (let digit = 0; digit <= 9; digit++) {
      const altered = `${cf.slice(0, 10)}${digit}`;
      expect(isValidEntityCodiceFiscale(altered)).toBe(altered === cf);
    }
  });

  it('catches a single changed digit in the body', () => {
    expect(isValidEntityCodiceFiscale('00100060250')).toBe(true);
    expect(isValidEntityCodiceFiscale('00100070250')).toBe(false);
  });

  it.each(['0010006025', '001000602500', '', '0010006025A', ' 00100060250', 'RSSMRA80A01H501U'])(
    'rejects %j: not 11 digits',
    (value) => {
      expect(isValidEntityCodiceFiscale(value)).toBe(false);
    },
  );
});

describe('CUP format', () => {
  it.each(['B31H22000280006', 'G17H03000130001', 'C29E19000380007'])('accepts the real CUP %s', (cup) => {
    expect(isValidCupFormat(cup)).toBe(true);
  });

  it('accepts lower case and spaces as typed, the Wikipedia example included', () => {
    expect(isValidCupFormat('b31h22000280006')).toBe(true);
    expect(isValidCupFormat('C 1 1 G 06 00000 000 1')).toBe(true);
  });

  it.each([
    ['B31H2200028000', 'too short'],
    ['B31H220002800067', 'too long'],
    ['131H22000280006', 'digit where a letter goes'],
    ['B3AH22000280006', 'letter where a digit goes'],
    ['', 'empty'],
  ])('rejects %j (%s)', (cup) => {
    expect(isValidCupFormat(cup)).toBe(false);
  });

  it('reads the observed year of generation, only from a well-formed CUP', () => {
    expect(cupYear('B31H22000280006')).toBe(22);
    expect(cupYear('B31H2200028000')).toBeNull();
  });
});

describe('Italian numbers typed as text', () => {
  it.each([
    ['1.234,56', 1234.56],
    ['1234,56', 1234.56],
    ['-12,5', -12.5],
    ['1.234.567', 1234567],
    ['€ 1.234,56', 1234.56],
    ['1.234.567,89', 1234567.89],
    ['0,5', 0.5],
    ['42', 42],
    [' 7 ', 7],
  ])('reads %j as %d', (text, value) => {
    expect(parseItalianNumber(text)).toBe(value);
  });

  it.each(['abc', '', '   ', '1,2,3', '1.23,4', '12,5,', '--1', '1.2.3,4', 'dodici'])('rejects %j', (text) => {
    expect(parseItalianNumber(text)).toBeNull();
  });
});

describe('Italian dates typed as text', () => {
  it('reads gg/mm/aaaa, with one-digit day and month', () => {
    expect(parseItalianDate('31/12/2025')).toBe('2025-12-31');
    expect(parseItalianDate('1/2/2025')).toBe('2025-02-01');
  });

  it('accepts 29/02 only in a leap year', () => {
    expect(parseItalianDate('29/02/2024')).toBe('2024-02-29');
    expect(parseItalianDate('29/02/2000')).toBe('2000-02-29');
    expect(parseItalianDate('29/02/2025')).toBeNull();
    expect(parseItalianDate('29/02/2100')).toBeNull();
  });

  it.each(['31/04/2025', '00/01/2025', '15/13/2025', '2025-12-31', '31-12-25', 'ieri'])('rejects %j', (text) => {
    expect(parseItalianDate(text)).toBeNull();
  });

  it('validates ISO dates the same way and prints them back in Italian', () => {
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
    expect(parseIsoDate('2025-02-29')).toBeNull();
    expect(formatItalianDate('2025-12-31')).toBe('31/12/2025');
  });

  it('knows leap years', () => {
    expect([2024, 2025, 2000, 1900].map(isLeapYear)).toEqual([true, false, true, false]);
    expect([daysInYear(2024), daysInYear(2025)]).toEqual([366, 365]);
  });
});

describe('days in service within the reference year', () => {
  it('counts the whole year for someone in service all year', () => {
    expect(daysInService(2025, '2020-01-01', null)).toBe(365);
    expect(daysInService(2024, '2020-01-01', null)).toBe(366);
  });

  it('counts both ends for someone who left mid-year', () => {
    expect(daysInService(2025, '2020-01-01', '2025-06-30')).toBe(181);
    expect(daysInService(2024, '2020-01-01', '2024-06-30')).toBe(182);
  });

  it('counts from the hiring date for someone hired mid-year', () => {
    expect(daysInService(2025, '2025-07-01', null)).toBe(184);
    expect(daysInService(2025, '2025-03-01', '2025-03-01')).toBe(1);
  });

  it('is zero outside the year', () => {
    expect(daysInService(2025, '2020-01-01', '2024-12-31')).toBe(0);
    expect(daysInService(2025, '2026-01-01', null)).toBe(0);
  });
});

describe('FTE of a staff row', () => {
  it('is 1 for a full-timer all year', () => {
    expect(staffRowFte(2025, 36, 36, '2020-01-01', null)).toBe(1);
  });

  it('is hours over full time for a part-timer', () => {
    expect(staffRowFte(2025, 18, 36, '2020-01-01', null)).toBe(0.5);
    expect(staffRowFte(2025, 30, 36, '2020-01-01', null)).toBeCloseTo(30 / 36, 12);
  });

  it('is pro-quota on the days for someone who left during the year', () => {
    expect(staffRowFte(2025, 36, 36, '2020-01-01', '2025-06-30')).toBeCloseTo(181 / 365, 12);
    expect(staffRowFte(2025, 18, 36, '2020-01-01', '2025-06-30')).toBeCloseTo((0.5 * 181) / 365, 12);
  });

  it('divides by 366 in a leap year', () => {
    expect(staffRowFte(2024, 36, 36, '2020-01-01', '2024-06-30')).toBeCloseTo(182 / 366, 12);
    expect(staffRowFte(2024, 36, 36, '2020-01-01', null)).toBe(1);
  });

  it('is zero outside the year, or with no hours', () => {
    expect(staffRowFte(2025, 36, 36, '2020-01-01', '2024-12-31')).toBe(0);
    expect(staffRowFte(2025, 0, 36, '2020-01-01', null)).toBe(0);
    expect(staffRowFte(2025, 36, 0, '2020-01-01', null)).toBe(0);
  });

  it('never counts more than full time', () => {
    expect(staffRowFte(2025, 40, 36, '2020-01-01', null)).toBe(1);
  });
});
