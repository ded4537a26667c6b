// Reading the ledger back: newest first, filtered by task, provider, outcome and calendar period,
// paged by row id so a page never repeats or skips a row while new rows arrive.
import type { Db } from '../../../lib/sqlite.js';
import type { Calendar } from '../periods.js';

export interface LedgerFilter {
  task?: string;
  provider?: string;
  outcome?: string;
  /** `day` / `month`: the current one; `all`: everything. */
  period: 'day' | 'month' | 'all';
  /** Rows older than this id (from the previous page's nextCursor). */
  before?: number;
  limit: number;
}

export interface LedgerRow {
  id: number;
  callId: string;
  attempt: number;
  at: number;
  task: string | null;
  provider: string;
  model: string;
  kind: 'call' | 'cache-hit';
  state: 'held' | 'settled';
  outcome: string | null;
  reserved: { tokens: number; micros: number; ms: number };
  used: { tokens: number; micros: number; ms: number; inputTokens: number; outputTokens: number } | null;
  expiresAt: number;
  settledAt: number | null;
  error: string | null;
}

interface Raw {
  id: number;
  call_id: string;
  attempt: number;
  at: number;
  task: string | null;
  provider: string;
  model: string;
  kind: 'call' | 'cache-hit';
  state: 'held' | 'settled';
  outcome: string | null;
  reserved_tokens: number;
  reserved_micros: number;
  reserved_ms: number;
  input_tokens: number | null;
  output_tokens: number | null;
  tokens: number | null;
  micros: number | null;
  ms: number | null;
  expires_at: number;
  settled_at: number | null;
  error: string | null;
}

function toRow(raw: Raw): LedgerRow {
  return {
    id: raw.id,
    callId: raw.call_id,
    attempt: raw.attempt,
    at: raw.at,
    task: raw.task,
    provider: raw.provider,
    model: raw.model,
    kind: raw.kind,
    state: raw.state,
    outcome: raw.outcome,
    reserved: { tokens: raw.reserved_tokens, micros: raw.reserved_micros, ms: raw.reserved_ms },
    used:
      raw.state === 'settled'
        ? {
            tokens: raw.tokens ?? 0,
            micros: raw.micros ?? 0,
            ms: raw.ms ?? 0,
            inputTokens: raw.input_tokens ?? 0,
            outputTokens: raw.output_tokens ?? 0,
          }
        : null,
    expiresAt: raw.expires_at,
    settledAt: raw.settled_at,
    error: raw.error,
  };
}

export function pageLedger(db: Db, calendar: Calendar, now: number, filter: LedgerFilter): { rows: LedgerRow[]; nextCursor?: number } {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.task !== undefined) {
    where.push('task = ?');
    params.push(filter.task);
  }
  if (filter.provider !== undefined) {
    where.push('provider = ?');
    params.push(filter.provider);
  }
  if (filter.outcome !== undefined) {
    if (filter.outcome === 'held') where.push("state = 'held'");
    else {
      where.push('outcome = ?');
      params.push(filter.outcome);
    }
  }
  if (filter.period !== 'all') {
    const period = calendar.period(filter.period, now);
    where.push('at >= ? AND at < ?');
    params.push(period.start, period.end);
  }
  if (filter.before !== undefined) {
    where.push('id < ?');
    params.push(filter.before);
  }
  const sql = `SELECT * FROM ledger ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
  const raws = db.prepare(sql).all(...params, filter.limit + 1) as Raw[];
  const rows = raws.slice(0, filter.limit).map(toRow);
  return raws.length > filter.limit ? { rows, nextCursor: rows[rows.length - 1]!.id } : { rows };
}
