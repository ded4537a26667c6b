// The audit log: every tool call, the decision taken and a redacted summary of the result,
// appended to SQLite as a hash chain. Each row's hash covers its fields and the previous row's
// hash, so editing or deleting a row breaks the chain at that row.
import { createHash } from 'node:crypto';

import type { Db } from '../lib/sqlite.js';
import { Statements } from '../lib/statements.js';

export type AuditDecision =
  | 'ran' // read tool, or autopilot
  | 'ran-approved' // a person approved (elicitation or queue)
  | 'ran-within-policy' // draft, but the policy itself approves the call (e.g. spending within its LLM limits)
  | 'ran-unchanged' // draft, and the preview showed the call changes nothing
  | 'ran-granted' // draft, and a person approved exactly this call as part of a plan (a signed grant; the summary names the approval)
  | 'replayed' // a repeat of an idempotency key: the first call's result, nothing ran
  | 'previewed' // dry-run or observe mode
  | 'approval-asked' // the person was asked through the client (elicitation)
  | 'approval-queued'
  | 'approval-pending'
  | 'denied-by-person'
  | 'denied-by-policy'
  | 'rejected'; // invalid input, rate limit, unknown tool, or a call that failed before its handler ran (no preview could be made)

export interface AuditEntry {
  correlationId: string;
  server: string;
  tool: string;
  client: string;
  effect: string;
  mode: string;
  decision: AuditDecision;
  /** Already redacted. */
  args: unknown;
  /** `started`: a write or external call about to run; its second row says how it ended. */
  outcome: 'ok' | 'error' | 'started';
  errorCode?: string | undefined;
  /** Already redacted. */
  summary: string;
  durationMs: number;
}

export interface AuditRow {
  id: number;
  ts: string;
  correlation_id: string;
  server: string;
  tool: string;
  client: string;
  effect: string;
  mode: string;
  decision: string;
  args: string;
  outcome: string;
  error_code: string | null;
  summary: string;
  duration_ms: number;
  prev_hash: string;
  hash: string;
}

export type VerifyResult = { ok: true; rows: number } | { ok: false; rows: number; badRow: number; problem: string };

const GENESIS = '0'.repeat(64);
const MAX_ARGS_CHARS = 8_000;
const MAX_SUMMARY_CHARS = 1_000;

function rowHash(prev: string, row: Omit<AuditRow, 'id' | 'prev_hash' | 'hash'> & { id: number }): string {
  const fields = [
    row.id,
    row.ts,
    row.correlation_id,
    row.server,
    row.tool,
    row.client,
    row.effect,
    row.mode,
    row.decision,
    row.args,
    row.outcome,
    row.error_code,
    row.summary,
    row.duration_ms,
  ];
  return createHash('sha256').update(prev).update('\n').update(JSON.stringify(fields)).digest('hex');
}

/** The arguments as JSON; a value JSON cannot hold still leaves a row (saying so) rather than none. */
function serialized(args: unknown): string {
  try {
    return JSON.stringify(args ?? null) ?? 'null';
  } catch (error) {
    return JSON.stringify({ omitted: `the arguments could not be stored (${error instanceof Error ? error.message : String(error)})` });
  }
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} more characters]`;
}

export class AuditLog {
  private readonly statements: Statements;

  constructor(private readonly db: Db) {
    this.statements = new Statements(db);
  }

  append(entry: AuditEntry): number {
    const append = this.db.transaction(() => {
      const last = this.statements.get('SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1').get() as
        { id: number; hash: string } | undefined;
      const row = {
        id: (last?.id ?? 0) + 1,
        ts: new Date().toISOString(),
        correlation_id: entry.correlationId,
        server: entry.server,
        tool: entry.tool,
        client: entry.client,
        effect: entry.effect,
        mode: entry.mode,
        decision: entry.decision,
        args: clip(serialized(entry.args), MAX_ARGS_CHARS),
        outcome: entry.outcome,
        error_code: entry.errorCode ?? null,
        summary: clip(entry.summary, MAX_SUMMARY_CHARS),
        duration_ms: Math.round(entry.durationMs),
      };
      const prev = last?.hash ?? GENESIS;
      const hash = rowHash(prev, row);
      this.statements
        .get(
          `INSERT INTO audit (id, ts, correlation_id, server, tool, client, effect, mode, decision, args, outcome,
                              error_code, summary, duration_ms, prev_hash, hash)
           VALUES (@id, @ts, @correlation_id, @server, @tool, @client, @effect, @mode, @decision, @args, @outcome,
                   @error_code, @summary, @duration_ms, @prev_hash, @hash)`,
        )
        .run({ ...row, prev_hash: prev, hash });
      return row.id;
    });
    // IMMEDIATE: two processes appending at once serialize on the write lock, so the chain never forks.
    return append.immediate();
  }

  tail(limit: number, filter: { server?: string; tool?: string } = {}): AuditRow[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.server) {
      where.push('server = ?');
      params.push(filter.server);
    }
    if (filter.tool) {
      where.push('tool = ?');
      params.push(filter.tool);
    }
    const sql = `SELECT * FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...params, limit) as AuditRow[]).reverse();
  }

  /** Walks the whole chain; reports the first row whose content, link or position is wrong. */
  verify(): VerifyResult {
    let prev = GENESIS;
    let expectedId = 1;
    let rows = 0;
    for (const row of this.db.prepare('SELECT * FROM audit ORDER BY id').iterate() as IterableIterator<AuditRow>) {
      rows++;
      if (row.id !== expectedId)
        return { ok: false, rows, badRow: row.id, problem: `row ${expectedId} is missing (found row ${row.id} next): rows were deleted` };
      if (row.prev_hash !== prev)
        return { ok: false, rows, badRow: row.id, problem: `row ${row.id} does not link to the row before it: the chain was rewritten` };
      const expected = rowHash(prev, row);
      if (expected !== row.hash)
        return {
          ok: false,
          rows,
          badRow: row.id,
          problem: `row ${row.id} was modified after it was written (its hash does not match its content)`,
        };
      prev = row.hash;
      expectedId++;
    }
    return { ok: true, rows };
  }
}
