/**
 * Check digit of an entity's 11-digit codice fiscale / partita IVA (domain.md §5.4, after python-stdnum `it/iva`):
 * odd positions are summed, even positions doubled (minus 9 above 9), and the last digit closes the sum to a ten.
 */
export function entityCodiceFiscaleCheckDigit(firstTenDigits: string): number {
  let sum = 0;
  for (let index = 0; index < 10; index++) {
    const digit = firstTenDigits.charCodeAt(index) - 48;
    if (index % 2 === 0) {
      sum += digit;
    } else {
      const doubled = digit * 2;
      sum += doubled > 9 ? doubled - 9 : doubled;
    }
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidEntityCodiceFiscale(value: string): boolean {
  if (!/^\d{11}$/.test(value)) return false;
  return entityCodiceFiscaleCheckDigit(value.slice(0, 10)) === value.charCodeAt(10) - 48;
}
