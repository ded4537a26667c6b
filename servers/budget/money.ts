// Money as integer micro-dollars (1 µ$ = $0.000001): sums of integers never drift, and a ledger
// row's amount is exact. Conversions round up, so a rounding can never hide spend.

export const MICROS_PER_USD = 1_000_000;

/** Dollars (as a person writes them in a policy) to micro-dollars, to the nearest micro-dollar. */
export function usdToMicros(usd: number): number {
  return Math.round(usd * MICROS_PER_USD);
}

/**
 * A computed cost in dollars to micro-dollars, rounded up. The tiny tolerance keeps float noise
 * (0.15 × 1000 = 150.00000000000003) from adding a micro-dollar that was never spent.
 */
export function costToMicros(usd: number): number {
  const micros = usd * MICROS_PER_USD;
  return Math.max(0, Math.ceil(micros - 1e-9 * Math.max(1, micros)));
}

/** `$0.001234` — enough digits to show every micro-dollar, trailing zeros trimmed past the cents. */
export function formatUsd(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / MICROS_PER_USD);
  const frac = String(abs % MICROS_PER_USD)
    .padStart(6, '0')
    .replace(/0+$/, '')
    .padEnd(2, '0');
  return `${sign}$${whole}.${frac}`;
}
