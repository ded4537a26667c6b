// Budget amounts and refusals in words a person reads: "$0.42", "12,000 tokens", "90 s", and
// "the day limit of $2.00 … resets 2026-03-09 00:00 (Europe/Berlin)".
import type { Amounts, Limits, Unit } from './ledger/amounts.js';
import type { Refusal } from './ledger/ledger.js';
import { formatUsd } from './money.js';

export function formatAmount(unit: Unit, value: number): string {
  if (unit === 'micros') return formatUsd(value);
  if (unit === 'tokens') return `${value.toLocaleString('en-US')} tokens`;
  return `${(value / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} s`;
}

export function formatAmounts(amounts: Amounts | Limits): string {
  const parts = (['micros', 'tokens', 'ms'] as const).filter((u) => amounts[u] !== undefined).map((u) => formatAmount(u, amounts[u]!));
  return parts.length ? parts.join(', ') : 'no limit';
}

/** A local time in the budget's time zone, e.g. `2026-03-09 00:00 (Europe/Berlin)`. */
export function formatLocal(at: number, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} (${timeZone})`;
}

const UNIT_FIELD: Record<Unit, string> = { micros: 'usd', tokens: 'tokens', ms: 'seconds' };

/** The policy field a person would raise to lift this refusal, e.g. `llm.limits.day.usd`. */
export function limitField(refusal: Refusal): string {
  return refusal.scope === 'call' ? `limits.${UNIT_FIELD[refusal.unit]}` : `llm.limits.${refusal.scope}.${UNIT_FIELD[refusal.unit]}`;
}

export function describeRefusal(refusal: Refusal, timeZone: string): string {
  const what =
    refusal.scope === 'call'
      ? 'the limit this call set'
      : refusal.scope === 'task'
        ? `the limit of task ${JSON.stringify(refusal.task)}`
        : `the ${refusal.scope} limit (${refusal.period})`;
  const spent = refusal.used - refusal.held;
  const resets = refusal.resetsAt === undefined ? '' : `; it resets ${formatLocal(refusal.resetsAt, timeZone)}`;
  return `${what} of ${formatAmount(refusal.unit, refusal.limit)} would be exceeded: spent ${formatAmount(refusal.unit, spent)} + held ${formatAmount(refusal.unit, refusal.held)} + this call's worst case ${formatAmount(refusal.unit, refusal.needed)}${resets}`;
}
