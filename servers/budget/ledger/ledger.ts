// The budget ledger. Before a model is called, its worst case is reserved in one SQLite
// `BEGIN IMMEDIATE` transaction that checks spent + held + this ≤ limit for every limit that
// applies (day, month, task, the call's own); only one writer across all processes holds that lock,
// so concurrent calls cannot overspend. After the call the hold is settled at what was really used.
// A hold whose process died is settled at its reserved amount once it expires, by whichever process
// next touches the ledger — holds never leak and no background job is needed.
import { migrate } from '../../../lib/migrations.js';
import { type Db, openDatabase } from '../../../lib/sqlite.js';
import type { Calendar, PeriodKind } from '../periods.js';
import { type Amounts, exceeded, hasLimit, type Limits, tightest, type Unit, UNITS, ZERO } from './amounts.js';
import { BUDGET_MIGRATIONS } from './schema.js';

/** Budgets from the policy, in ledger units (tokens, micro-dollars, milliseconds). */
export interface BudgetLimits {
  task: Limits;
  day: Limits;
  month: Limits;
}

export type Scope = PeriodKind | 'task' | 'call';

export interface HoldRequest {
  callId: string;
  attempt: number;
  task: string | undefined;
  provider: string;
  model: string;
  /** The worst case: counted input tokens plus maxTokens, priced; the attempt's time limit. */
  amounts: Amounts;
  /** When an unsettled hold is settled at its reserved amount. */
  expiresAt: number;
  /** Limits for this call alone (a call without a task that asked for tighter limits). */
  callLimits?: Limits;
  /** Limits to tighten the task's to, in the same transaction. */
  tightenTask?: Limits;
  correlationId?: string;
}

/** Why a hold was refused: the limit it would break, what is used of it, and when it frees up. */
export interface Refusal {
  scope: Scope;
  unit: Unit;
  limit: number;
  /** Settled spend plus open holds in the scope, before this request. */
  used: number;
  held: number;
  needed: number;
  /** The day or month key, for period scopes. */
  period?: string;
  /** When the period ends and its spend starts again at 0; absent for task and call scopes. */
  resetsAt?: number;
  task?: string;
}

export type HoldResult = { ok: true; id: number } | { ok: false; refusal: Refusal };

export interface Usage extends Amounts {
  inputTokens: number;
  outputTokens: number;
}

export type Outcome = 'ok' | 'failed' | 'cancelled' | 'expired' | 'cache-hit';

export interface ScopeStatus {
  scope: Scope;
  period?: string;
  resetsAt?: number;
  task?: string;
  limits: Limits;
  spent: Amounts;
  held: Amounts;
  /** Per limited unit: limit − spent − held (never below 0). */
  left: Limits;
}

const BUCKET_MS = 15 * 60_000;

interface SumRow {
  tokens: number | null;
  micros: number | null;
  ms: number | null;
}

function amounts(row: SumRow | undefined): Amounts {
  return { tokens: row?.tokens ?? 0, micros: row?.micros ?? 0, ms: row?.ms ?? 0 };
}

function minus(a: Amounts, b: Amounts): Amounts {
  return { tokens: a.tokens - b.tokens, micros: a.micros - b.micros, ms: a.ms - b.ms };
}

function leftOf(limits: Limits, used: Amounts): Limits {
  const left: Limits = {};
  for (const unit of UNITS) if (limits[unit] !== undefined) left[unit] = Math.max(0, limits[unit] - used[unit]);
  return left;
}

export interface LedgerOptions {
  file: string;
  calendar: Calendar;
  limits: BudgetLimits;
  now?: () => number;
}

export class Ledger {
  readonly db: Db;
  readonly calendar: Calendar;
  readonly limits: BudgetLimits;
  readonly now: () => number;
  private readonly sql;

  constructor(options: LedgerOptions) {
    this.calendar = options.calendar;
    this.limits = options.limits;
    this.now = options.now ?? Date.now;
    this.db = openDatabase(options.file);
    try {
      migrate(this.db, BUDGET_MIGRATIONS);
    } catch (error) {
      this.db.close();
      throw error;
    }
    const db = this.db;
    this.sql = {
      expire: db.prepare(
        `UPDATE ledger SET state = 'settled', outcome = 'expired', tokens = reserved_tokens, micros = reserved_micros, ms = reserved_ms,
           settled_at = ? WHERE state = 'held' AND expires_at <= ?`,
      ),
      buckets: db.prepare(
        'SELECT SUM(tokens) AS tokens, SUM(micros) AS micros, SUM(ms) AS ms FROM spend_buckets WHERE bucket >= ? AND bucket < ?',
      ),
      rangeScan: db.prepare(
        `SELECT SUM(CASE WHEN state = 'held' THEN reserved_tokens ELSE tokens END) AS tokens,
                SUM(CASE WHEN state = 'held' THEN reserved_micros ELSE micros END) AS micros,
                SUM(CASE WHEN state = 'held' THEN reserved_ms ELSE ms END) AS ms
           FROM ledger WHERE at >= ? AND at < ?`,
      ),
      heldInRange: db.prepare(
        `SELECT SUM(reserved_tokens) AS tokens, SUM(reserved_micros) AS micros, SUM(reserved_ms) AS ms
           FROM ledger WHERE state = 'held' AND at >= ? AND at < ? AND expires_at > ?`,
      ),
      taskTotal: db.prepare('SELECT tokens, micros, ms FROM task_totals WHERE task = ?'),
      heldForTask: db.prepare(
        `SELECT SUM(reserved_tokens) AS tokens, SUM(reserved_micros) AS micros, SUM(reserved_ms) AS ms
           FROM ledger WHERE task = ? AND state = 'held' AND expires_at > ?`,
      ),
      taskLimits: db.prepare('SELECT tokens, micros, ms FROM task_limits WHERE task = ?'),
      tighten: db.prepare(
        `INSERT INTO task_limits (task, tokens, micros, ms, updated_at) VALUES (@task, @tokens, @micros, @ms, @now)
           ON CONFLICT (task) DO UPDATE SET
             tokens = CASE WHEN excluded.tokens IS NULL THEN tokens WHEN tokens IS NULL THEN excluded.tokens ELSE MIN(tokens, excluded.tokens) END,
             micros = CASE WHEN excluded.micros IS NULL THEN micros WHEN micros IS NULL THEN excluded.micros ELSE MIN(micros, excluded.micros) END,
             ms = CASE WHEN excluded.ms IS NULL THEN ms WHEN ms IS NULL THEN excluded.ms ELSE MIN(ms, excluded.ms) END,
             updated_at = excluded.updated_at`,
      ),
      insert: db.prepare(
        `INSERT INTO ledger (call_id, attempt, at, task, provider, model, kind, state, outcome, reserved_tokens, reserved_micros, reserved_ms,
                             input_tokens, output_tokens, tokens, micros, ms, expires_at, settled_at, correlation_id)
         VALUES (@callId, @attempt, @at, @task, @provider, @model, @kind, @state, @outcome, @tokens, @micros, @ms,
                 @inputTokens, @outputTokens, @settledTokens, @settledMicros, @settledMs, @expiresAt, @settledAt, @correlationId)`,
      ),
      addBucket: db.prepare(
        `INSERT INTO spend_buckets (bucket, tokens, micros, ms) VALUES (?, ?, ?, ?)
           ON CONFLICT (bucket) DO UPDATE SET tokens = tokens + excluded.tokens, micros = micros + excluded.micros, ms = ms + excluded.ms`,
      ),
      addTask: db.prepare(
        `INSERT INTO task_totals (task, tokens, micros, ms) VALUES (?, ?, ?, ?)
           ON CONFLICT (task) DO UPDATE SET tokens = tokens + excluded.tokens, micros = micros + excluded.micros, ms = ms + excluded.ms`,
      ),
      settle: db.prepare(
        `UPDATE ledger SET state = 'settled', outcome = @outcome, input_tokens = @inputTokens, output_tokens = @outputTokens,
           tokens = @tokens, micros = @micros, ms = @ms, settled_at = @now, error = @error WHERE id = @id AND state = 'held'
         RETURNING at, task, reserved_tokens, reserved_micros, reserved_ms`,
      ),
      openHolds: db.prepare("SELECT COUNT(*) AS n FROM ledger WHERE state = 'held'"),
    };
  }

  close(): void {
    this.db.close();
  }

  /** The limits that apply to a task: the policy's, tightened by what tools asked for it. */
  taskLimits(task: string): Limits {
    const stored = this.sql.taskLimits.get(task) as SumRow | undefined;
    if (!stored) return this.limits.task;
    const tightened: Limits = {};
    for (const unit of UNITS) if (stored[unit] !== null && stored[unit] !== undefined) tightened[unit] = stored[unit];
    return tightest(this.limits.task, tightened);
  }

  /** Reserves the worst case of one attempt, or says which limit it would break. */
  reserve(request: HoldRequest): HoldResult {
    return this.db
      .transaction((): HoldResult => {
        const now = this.now();
        this.sql.expire.run(now, now);
        if (request.task !== undefined && request.tightenTask && hasLimit(request.tightenTask)) {
          this.sql.tighten.run({
            task: request.task,
            tokens: request.tightenTask.tokens ?? null,
            micros: request.tightenTask.micros ?? null,
            ms: request.tightenTask.ms ?? null,
            now,
          });
        }
        const refusal = this.check(request.task, request.amounts, request.callLimits ?? {}, now);
        if (refusal) return { ok: false, refusal };
        const info = this.sql.insert.run({
          callId: request.callId,
          attempt: request.attempt,
          at: now,
          task: request.task ?? null,
          provider: request.provider,
          model: request.model,
          kind: 'call',
          state: 'held',
          outcome: null,
          ...request.amounts,
          inputTokens: null,
          outputTokens: null,
          settledTokens: null,
          settledMicros: null,
          settledMs: null,
          expiresAt: request.expiresAt,
          settledAt: null,
          correlationId: request.correlationId ?? null,
        });
        this.add(now, request.task, request.amounts);
        return { ok: true, id: Number(info.lastInsertRowid) };
      })
      .immediate();
  }

  /**
   * Whether `amounts` would fit now, without reserving anything (for estimates and previews).
   * Returns the refusal a reservation would get, or undefined.
   */
  wouldRefuse(task: string | undefined, amounts: Amounts, callLimits: Limits = {}): Refusal | undefined {
    return this.check(task, amounts, callLimits, this.now());
  }

  /**
   * Settles a hold at what was really used and releases the rest. Returns false when the hold was
   * already settled (it expired first: it then stays settled at its reserved amount).
   */
  settle(id: number, usage: Usage, outcome: Exclude<Outcome, 'expired' | 'cache-hit'>, error?: string): boolean {
    return this.db
      .transaction((): boolean => {
        const row = this.sql.settle.get({
          id,
          outcome,
          inputTokens: usage.inputTokens,
          outputTokens: usage.outputTokens,
          tokens: usage.tokens,
          micros: usage.micros,
          ms: usage.ms,
          now: this.now(),
          error: error ?? null,
        }) as { at: number; task: string | null; reserved_tokens: number; reserved_micros: number; reserved_ms: number } | undefined;
        if (!row) return false; // already settled: it expired first
        this.add(row.at, row.task ?? undefined, {
          tokens: usage.tokens - row.reserved_tokens,
          micros: usage.micros - row.reserved_micros,
          ms: usage.ms - row.reserved_ms,
        });
        return true;
      })
      .immediate();
  }

  /** Records an answer served from the cache: it costs nothing, and the ledger says so. */
  recordCacheHit(entry: { callId: string; task: string | undefined; provider: string; model: string; correlationId?: string }): void {
    const now = this.now();
    this.sql.insert.run({
      ...entry,
      attempt: 0,
      at: now,
      task: entry.task ?? null,
      kind: 'cache-hit',
      state: 'settled',
      outcome: 'cache-hit',
      ...ZERO,
      inputTokens: 0,
      outputTokens: 0,
      settledTokens: 0,
      settledMicros: 0,
      settledMs: 0,
      expiresAt: now,
      settledAt: now,
      correlationId: entry.correlationId ?? null,
    });
  }

  /** Settles every expired hold at its reserved amount. Returns how many it settled. */
  expireHolds(): number {
    const now = this.now();
    return this.db.transaction(() => this.sql.expire.run(now, now).changes).immediate();
  }

  openHolds(): number {
    return (this.sql.openHolds.get() as { n: number }).n;
  }

  /** Limits, spend, holds and what is left, for the day, the month and (when given) a task. */
  status(task?: string): ScopeStatus[] {
    const now = this.now();
    const out: ScopeStatus[] = [];
    for (const kind of ['day', 'month'] as const) {
      const period = this.calendar.period(kind, now);
      const used = this.usedBetween(period.start, period.end);
      const held = amounts(this.sql.heldInRange.get(period.start, period.end, now) as SumRow);
      const limits = this.limits[kind];
      out.push({
        scope: kind,
        period: period.key,
        resetsAt: period.end,
        limits,
        spent: minus(used, held),
        held,
        left: leftOf(limits, used),
      });
    }
    if (task !== undefined) {
      const used = amounts(this.sql.taskTotal.get(task) as SumRow | undefined);
      const held = amounts(this.sql.heldForTask.get(task, now) as SumRow);
      const limits = this.taskLimits(task);
      out.push({ scope: 'task', task, limits, spent: minus(used, held), held, left: leftOf(limits, used) });
    }
    return out;
  }

  private check(task: string | undefined, needed: Amounts, callLimits: Limits, now: number): Refusal | undefined {
    for (const kind of ['day', 'month'] as const) {
      const limits = this.limits[kind];
      if (!hasLimit(limits)) continue;
      const period = this.calendar.period(kind, now);
      const used = this.usedBetween(period.start, period.end);
      const unit = exceeded(limits, used, needed);
      if (unit) {
        const held = amounts(this.sql.heldInRange.get(period.start, period.end, now) as SumRow);
        return {
          scope: kind,
          unit,
          limit: limits[unit]!,
          used: used[unit],
          held: held[unit],
          needed: needed[unit],
          period: period.key,
          resetsAt: period.end,
        };
      }
    }
    if (task !== undefined) {
      const limits = this.taskLimits(task);
      if (hasLimit(limits)) {
        const used = amounts(this.sql.taskTotal.get(task) as SumRow | undefined);
        const unit = exceeded(limits, used, needed);
        if (unit) {
          const held = amounts(this.sql.heldForTask.get(task, now) as SumRow);
          return { scope: 'task', unit, limit: limits[unit]!, used: used[unit], held: held[unit], needed: needed[unit], task };
        }
      }
    }
    const unit = exceeded(callLimits, ZERO, needed);
    if (unit) return { scope: 'call', unit, limit: callLimits[unit]!, used: 0, held: 0, needed: needed[unit] };
    return undefined;
  }

  /** Settled spend plus open holds with `at` in [start, end). */
  private usedBetween(start: number, end: number): Amounts {
    if (start % BUCKET_MS === 0 && end % BUCKET_MS === 0)
      return amounts(this.sql.buckets.get(start / BUCKET_MS, end / BUCKET_MS) as SumRow);
    // A zone whose offset is not a multiple of 15 minutes (historical local mean times): sum the rows.
    return amounts(this.sql.rangeScan.get(start, end) as SumRow);
  }

  private add(at: number, task: string | undefined, delta: Amounts): void {
    this.sql.addBucket.run(Math.floor(at / BUCKET_MS), delta.tokens, delta.micros, delta.ms);
    if (task !== undefined) this.sql.addTask.run(task, delta.tokens, delta.micros, delta.ms);
  }
}
