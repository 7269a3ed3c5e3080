/**
 * CUP (Codice Unico di Progetto) format, verify.md §6: 15 characters, letter + 2 digits + letter + 11 digits, after
 * upper-casing and removing spaces. No check-digit algorithm is public, so none is applied.
 */
const CUP_FORMAT = /^[A-Z]\d{2}[A-Z]\d{11}$/;

export function normalizeCup(value: string): string {
  return value.replace(/\s+/g, '').toUpperCase();
}

export function isValidCupFormat(value: string): boolean {
  return CUP_FORMAT.test(normalizeCup(value));
}

/** Two-digit year in positions 5–6 (observed, not official): used only for warnings. */
export function cupYear(value: string): number | null {
  const cup = normalizeCup(value);
  if (!CUP_FORMAT.test(cup)) return null;
  return Number(cup.slice(4, 6));
}
