// The three things a budget counts — tokens, money (integer micro-dollars) and model time
// (milliseconds) — and limits over them, where a unit left out is not limited.

export interface Amounts {
  tokens: number;
  micros: number;
  ms: number;
}

export type Limits = Partial<Amounts>;

export const UNITS = ['tokens', 'micros', 'ms'] as const;
export type Unit = (typeof UNITS)[number];

export const ZERO: Amounts = { tokens: 0, micros: 0, ms: 0 };

/** The tighter of two limits, unit by unit. */
export function tightest(a: Limits, b: Limits): Limits {
  const out: Limits = {};
  for (const unit of UNITS) {
    const x = a[unit];
    const y = b[unit];
    const v = x === undefined ? y : y === undefined ? x : Math.min(x, y);
    if (v !== undefined) out[unit] = v;
  }
  return out;
}

export function hasLimit(limits: Limits): boolean {
  return UNITS.some((u) => limits[u] !== undefined);
}

/** The first unit in which `used + extra` would exceed `limits`, if any. */
export function exceeded(limits: Limits, used: Amounts, extra: Amounts): Unit | undefined {
  return UNITS.find((u) => limits[u] !== undefined && used[u] + extra[u] > limits[u]);
}
