// Idempotency keys: a write or external call that carries `_meta["hearth/idempotencyKey"]` is
// remembered with its result, so a repeat with the same key returns the first result without running
// again — what makes any Hearth tool safe to retry, and a plan safe to resume after a crash.
//
// A key is claimed ('running', with the claiming process id) before the handler runs and settled
// ('done', with the result) after it succeeds; a failed call releases its claim, since a Hearth tool
// that fails changes nothing — except an external call stopped mid-way, which may have reached the
// outside world: its key is kept as 'unknown', and a repeat is told so. A repeat that finds the key still running waits for it while the
// claiming process lives; if that process died mid-call, nobody can say whether the effect happened,
// and the caller is told so instead of the call being repeated blindly.
import type { CallToolResult } from '@modelcontextprotocol/server';

import { HearthError } from '../lib/errors.js';
import type { Db } from '../lib/sqlite.js';
import { Statements } from '../lib/statements.js';

export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:@/-]{1,200}$/;

interface Row {
  tool: string;
  args_hash: string;
  state: 'running' | 'done' | 'unknown';
  pid: number;
  result: string | null;
}

export type Claim =
  /** The key is new: run the call, then `settle` or `release`. */
  | { kind: 'claimed' }
  /** The key was used by a call that finished: here is its result. */
  | { kind: 'replay'; result: CallToolResult };

const POLL_MS = 25;

export class IdempotencyStore {
  private readonly statements: Statements;

  constructor(
    private readonly db: Db,
    private readonly server: string,
    private readonly pid: number = process.pid,
  ) {
    this.statements = new Statements(db);
  }

  /** The result of a finished call with this key, if any; a key used for another call is a CONFLICT. */
  peek(key: string, tool: string, argsHash: string): CallToolResult | undefined {
    const row = this.row(key);
    if (!row) return undefined;
    this.assertSameCall(key, row, tool, argsHash);
    return row.state === 'done' ? (JSON.parse(row.result ?? '{}') as CallToolResult) : undefined;
  }

  /** Claims `key` for this call, or returns the result of the call that used it first. */
  async claim(key: string, tool: string, argsHash: string, waitMs: number, signal?: AbortSignal): Promise<Claim> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const found = this.tryClaim(key, tool, argsHash);
      if (found.kind === 'unknown') throw outcomeUnknown(key, tool, 'it was cancelled');
      if (found.kind !== 'running') return found;
      if (!alive(found.pid)) throw outcomeUnknown(key, tool, 'its process ended');
      if (Date.now() >= deadline || signal?.aborted) {
        throw new HearthError(
          'CONFLICT',
          `idempotency key ${key}: a call with this key is still running`,
          'Wait for it to finish, then call again with the same key to get its result.',
          { details: { idempotencyKey: key } },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** Remembers the successful result under the key. */
  settle(key: string, result: CallToolResult): void {
    this.statements
      .get(`UPDATE idempotency SET state = 'done', result = ?, finished_at = ? WHERE server = ? AND key = ? AND pid = ?`)
      .run(JSON.stringify(result), new Date().toISOString(), this.server, key, this.pid);
  }

  /** Keeps the key as 'unknown' after an external call stopped mid-way: whether it took effect nobody can say. */
  abandon(key: string): void {
    this.statements
      .get(`UPDATE idempotency SET state = 'unknown', finished_at = ? WHERE server = ? AND key = ? AND state = 'running' AND pid = ?`)
      .run(new Date().toISOString(), this.server, key, this.pid);
  }

  /** Frees the key after a failed call: it changed nothing, so the next call with the key runs. */
  release(key: string): void {
    this.statements
      .get(`DELETE FROM idempotency WHERE server = ? AND key = ? AND state = 'running' AND pid = ?`)
      .run(this.server, key, this.pid);
  }

  private tryClaim(key: string, tool: string, argsHash: string): Claim | { kind: 'running'; pid: number } | { kind: 'unknown' } {
    const attempt = this.db.transaction((): Claim | { kind: 'running'; pid: number } | { kind: 'unknown' } => {
      const row = this.row(key);
      if (!row) {
        this.statements
          .get(`INSERT INTO idempotency (server, key, tool, args_hash, state, pid, created_at) VALUES (?,?,?,?, 'running', ?, ?)`)
          .run(this.server, key, tool, argsHash, this.pid, new Date().toISOString());
        return { kind: 'claimed' };
      }
      this.assertSameCall(key, row, tool, argsHash);
      if (row.state === 'done') return { kind: 'replay', result: JSON.parse(row.result ?? '{}') as CallToolResult };
      if (row.state === 'unknown') return { kind: 'unknown' };
      return { kind: 'running', pid: row.pid };
    });
    // IMMEDIATE: two processes claiming one key at once serialize, so only one of them runs the call.
    return attempt.immediate();
  }

  private row(key: string): Row | undefined {
    return this.statements
      .get('SELECT tool, args_hash, state, pid, result FROM idempotency WHERE server = ? AND key = ?')
      .get(this.server, key) as Row | undefined;
  }

  private assertSameCall(key: string, row: Row, tool: string, argsHash: string): void {
    if (row.tool === tool && row.args_hash === argsHash) return;
    throw new HearthError(
      'CONFLICT',
      `idempotency key ${key} was already used for ${row.tool === tool ? 'other arguments' : `another tool (${row.tool})`}; nothing was done`,
      'Use a new idempotency key for a different call, or repeat the first call exactly to get its result.',
      { details: { field: '_meta.hearth/idempotencyKey', idempotencyKey: key } },
    );
  }
}

function outcomeUnknown(key: string, tool: string, why: string): HearthError {
  return new HearthError(
    'CONFLICT',
    `idempotency key ${key}: the first call with this key stopped mid-way (${why}), so whether ${tool} took effect is unknown`,
    'Check by hand whether the change happened, then call again with a new idempotency key if it did not.',
    { details: { outcomeUnknown: true, idempotencyKey: key } },
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
