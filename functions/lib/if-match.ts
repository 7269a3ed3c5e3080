/** If-Match carries a version number, bare or as an entity tag ("3", W/"3"); absent or blank is null. */
export function parseIfMatch(value: string | undefined): number | null | 'invalid' {
  if (value === undefined || value.trim() === '') return null;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(value);
  return match ? Number(match[1]) : 'invalid';
}
