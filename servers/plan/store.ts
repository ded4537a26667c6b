// The plan server's database: runs, their steps, the journal of what happened to each step (the
// record a resumed run trusts), saved playbooks, and the previews a person approves. SQL lives here
// and nowhere else in the server.
import { randomBytes } from 'node:crypto';

import type Database from 'better-sqlite3';

import { HearthError } from '../../lib/errors.js';
import { migrate, type Migration } from '../../lib/migrations.js';
import { type Db, openDatabase } from '../../lib/sqlite.js';
import { Statements } from '../../lib/statements.js';
import type { Plan } from './plan-schema.js';

export const RUN_STATES = ['queued', 'running', 'paused', 'compensating', 'completed', 'failed', 'cancelled'] as const;
export type RunState = (typeof RUN_STATES)[number];
export const FINAL_STATES: readonly RunState[] = ['completed', 'failed', 'cancelled'];

export const STEP_STATES = [
  'pending',
  'started', // recorded as started; its call not sent yet
  'calling', // recorded as called with its idempotency key; the result not recorded yet
  'done',
  'skipped',
  'failed',
  'waiting', // the target asks a person to approve this call
  'unknown', // the call may have run and nobody can tell: a person must decide
  'compensating',
  'compensated',
] as const;
export type StepState = (typeof STEP_STATES)[number];

export const PLAN_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'runs, steps, journal, playbooks, previews',
    up: `CREATE TABLE runs (
           id TEXT PRIMARY KEY,
           created_at TEXT NOT NULL,
           updated_at TEXT NOT NULL,
           state TEXT NOT NULL,
           plan TEXT NOT NULL,
           inputs TEXT NOT NULL,
           mode TEXT,
           playbook TEXT,
           approval TEXT,
           reason TEXT,
           outputs TEXT,
           cancel_requested INTEGER NOT NULL DEFAULT 0,
           owner_pid INTEGER
         );
         CREATE INDEX runs_state ON runs(state, created_at);
         CREATE TABLE steps (
           run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
           step_id TEXT NOT NULL,
           idx INTEGER NOT NULL,
           state TEXT NOT NULL,
           attempts INTEGER NOT NULL DEFAULT 0,
           key TEXT,
           started_at TEXT,
           finished_at TEXT,
           output TEXT,
           error TEXT,
           undo_state TEXT,
           PRIMARY KEY (run_id, step_id)
         );
         CREATE TABLE journal (
           id INTEGER PRIMARY KEY,
           run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
           step_id TEXT,
           at TEXT NOT NULL,
           event TEXT NOT NULL,
           detail TEXT
         );
         CREATE INDEX journal_run ON journal(run_id, id);
         CREATE TABLE playbooks (
           name TEXT NOT NULL,
           version INTEGER NOT NULL,
           description TEXT,
           plan TEXT NOT NULL,
           created_at TEXT NOT NULL,
           PRIMARY KEY (name, version)
         );
         CREATE TABLE previews (
           id INTEGER PRIMARY KEY,
           args_hash TEXT NOT NULL,
           created_at TEXT NOT NULL,
           approval TEXT NOT NULL
         );
         CREATE INDEX previews_hash ON previews(args_hash, id);`,
    down: 'DROP TABLE previews; DROP TABLE playbooks; DROP TABLE journal; DROP TABLE steps; DROP TABLE runs;',
  },
  {
    version: 2,
    name: 'the tool lists of the servers plans reach, by their identity',
    up: `CREATE TABLE tool_lists (
           server TEXT PRIMARY KEY,
           identity TEXT NOT NULL,
           tools TEXT NOT NULL,
           listed_at TEXT NOT NULL
         );`,
    down: 'DROP TABLE tool_lists;',
  },
  {
    version: 3,
    name: 'how a run was asked to stop, readable without its plan',
    // The run row holds the whole plan: a column after it is read through the plan's overflow
    // pages. The index answers "was this run cancelled, and how" (asked before every step) alone;
    // the query names it, since the planner would take the primary key and read the row.
    up: 'CREATE INDEX runs_cancel ON runs(id, cancel_requested);',
    down: 'DROP INDEX runs_cancel;',
  },
];

/**
 * How a person asked a run to stop. `after-step` lets the call in flight finish and journals its
 * result, so its undo covers it; `abort` tells the target server to stop the call now. Either way no
 * further step starts, then the completed steps are undone.
 */
export const CANCEL_MODES = ['after-step', 'abort'] as const;
export type CancelMode = (typeof CANCEL_MODES)[number];
/** cancel_requested: 0 none, then by strength, so a later abort overrides an earlier after-step and never the reverse. */
const CANCEL_CODE: Record<CancelMode, number> = { 'after-step': 1, abort: 2 };

/** What a person approved with a plan: per changing step, the hash of its previewed arguments. */
export interface RunApproval {
  /** Names the approval in the target servers' audit rows. */
  label: string;
  expiresAt: number;
  /** step id → hash of its arguments as previewed (placeholders for values from steps that had not run). */
  templates: Record<string, string>;
  /** Steps whose output the preview could not know (writes, and what depends on them). */
  placeholders: string[];
}

export interface RunRow {
  id: string;
  createdAt: string;
  updatedAt: string;
  state: RunState;
  plan: Plan;
  inputs: Record<string, unknown>;
  mode: string | null;
  playbook: string | null;
  approval: RunApproval | null;
  reason: string | null;
  outputs: Record<string, unknown> | null;
  cancelRequested: boolean;
  cancelMode: CancelMode | null;
  ownerPid: number | null;
}

export interface StepRow {
  stepId: string;
  idx: number;
  state: StepState;
  attempts: number;
  key: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  output: unknown;
  error: { code: string; message: string; hint?: string } | null;
  undoState: 'started' | 'calling' | 'done' | 'failed' | null;
}

/** What one journal boundary changes on its step row. */
export interface StepChange {
  state?: StepState;
  attempt?: boolean;
  key?: string | null;
  output?: unknown;
  error?: unknown;
  finished?: boolean;
  undo?: StepRow['undoState'];
}

export interface StepEvent {
  stepId: string;
  event: string;
  change: StepChange;
  detail?: unknown;
}

export interface JournalEntry {
  at: string;
  step: string | null;
  event: string;
  detail: unknown;
}

interface RawRun {
  id: string;
  created_at: string;
  updated_at: string;
  state: RunState;
  plan: string;
  inputs: string;
  mode: string | null;
  playbook: string | null;
  approval: string | null;
  reason: string | null;
  outputs: string | null;
  cancel_requested: number;
  owner_pid: number | null;
}

interface RawStep {
  step_id: string;
  idx: number;
  state: StepState;
  attempts: number;
  key: string | null;
  started_at: string | null;
  finished_at: string | null;
  output: string | null;
  error: string | null;
  undo_state: StepRow['undoState'];
}

const parse = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));
const now = () => new Date().toISOString();
/** Journal lines one INSERT writes at most: a step's boundaries are one to three. */
const JOURNAL_LINES_PER_INSERT = 8;

export class PlanStore {
  readonly db: Db;
  /** Statements compiled once: a long run journals thousands of events, each a few statements. */
  private readonly statements: Statements;

  constructor(file: string) {
    this.db = openDatabase(file);
    migrate(this.db, PLAN_MIGRATIONS);
    this.statements = new Statements(this.db);
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }

  private sql(text: string): Database.Statement<unknown[]> {
    return this.statements.get(text);
  }

  createRun(input: {
    plan: Plan;
    inputs: Record<string, unknown>;
    mode?: string | undefined;
    playbook?: string | undefined;
    approval?: RunApproval | undefined;
  }): string {
    const id = `run_${randomBytes(6).toString('hex')}`;
    const at = now();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO runs (id, created_at, updated_at, state, plan, inputs, mode, playbook, approval) VALUES (?,?,?, 'queued', ?,?,?,?,?)`,
        )
        .run(
          id,
          at,
          at,
          JSON.stringify(input.plan),
          JSON.stringify(input.inputs),
          input.mode ?? null,
          input.playbook ?? null,
          input.approval ? JSON.stringify(input.approval) : null,
        );
      const insert = this.sql(`INSERT INTO steps (run_id, step_id, idx, state) VALUES (?,?,?, 'pending')`);
      input.plan.steps.forEach((step, i) => insert.run(id, step.id, i));
      this.journal(id, null, 'queued', { steps: input.plan.steps.length });
    })();
    return id;
  }

  run(id: string): RunRow {
    const row = this.sql('SELECT * FROM runs WHERE id = ?').get(id) as RawRun | undefined;
    if (!row)
      throw new HearthError('NOT_FOUND', `run ${id} does not exist`, 'Call plan_list to see the runs.', { details: { field: 'run' } });
    return toRun(row);
  }

  /** The run's state alone (its row holds the whole plan, which the state does not need). */
  runState(id: string): RunState {
    const row = this.sql('SELECT state FROM runs WHERE id = ?').get(id) as { state: RunState } | undefined;
    if (!row)
      throw new HearthError('NOT_FOUND', `run ${id} does not exist`, 'Call plan_list to see the runs.', { details: { field: 'run' } });
    return row.state;
  }

  listRuns(filter: { state?: RunState | undefined; limit: number; before?: string | undefined }): RunRow[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM runs WHERE (@state IS NULL OR state = @state) AND (@before IS NULL OR created_at < @before)
         ORDER BY created_at DESC, id DESC LIMIT @limit`,
      )
      .all({ state: filter.state ?? null, before: filter.before ?? null, limit: filter.limit }) as RawRun[];
    return rows.map(toRun);
  }

  steps(runId: string): StepRow[] {
    return (this.sql('SELECT * FROM steps WHERE run_id = ? ORDER BY idx').all(runId) as RawStep[]).map(toStep);
  }

  /** The run's steps in plan order from `offset`, at most `limit` of them. */
  stepsPage(runId: string, offset: number, limit: number): StepRow[] {
    return (this.sql('SELECT * FROM steps WHERE run_id = ? ORDER BY idx LIMIT ? OFFSET ?').all(runId, limit, offset) as RawStep[]).map(
      toStep,
    );
  }

  step(runId: string, stepId: string): StepRow {
    return toStep(this.sql('SELECT * FROM steps WHERE run_id = ? AND step_id = ?').get(runId, stepId) as RawStep);
  }

  /** Steps done or skipped, and all: a run's progress without reading its steps. */
  progress(runId: string): { done: number; total: number } {
    return this.db
      .prepare(`SELECT COUNT(*) AS total, COALESCE(SUM(state IN ('done','skipped')), 0) AS done FROM steps WHERE run_id = ?`)
      .get(runId) as { done: number; total: number };
  }

  cancelRequested(runId: string): boolean {
    return this.cancelMode(runId) !== null;
  }

  /** How the run was asked to stop, if it was. */
  cancelMode(runId: string): CancelMode | null {
    return cancelModeOf(
      (this.sql('SELECT cancel_requested AS c FROM runs INDEXED BY runs_cancel WHERE id = ?').get(runId) as { c: number } | undefined)?.c ??
        0,
    );
  }

  journalOf(runId: string, limit = 500): JournalEntry[] {
    const rows = this.db
      .prepare('SELECT at, step_id, event, detail FROM journal WHERE run_id = ? ORDER BY id DESC LIMIT ?')
      .all(runId, limit) as {
      at: string;
      step_id: string | null;
      event: string;
      detail: string | null;
    }[];
    return rows.reverse().map((r) => ({ at: r.at, step: r.step_id, event: r.event, detail: parse(r.detail) }));
  }

  setRunState(id: string, state: RunState, reason: string | null = null): void {
    this.db.transaction(() => {
      this.sql('UPDATE runs SET state = ?, reason = ?, updated_at = ? WHERE id = ?').run(state, reason, now(), id);
      this.journal(id, null, state, reason === null ? null : { reason });
    })();
  }

  setOutputs(id: string, outputs: Record<string, unknown>): void {
    this.sql('UPDATE runs SET outputs = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(outputs), now(), id);
  }

  requestCancel(id: string, mode: CancelMode): void {
    this.sql('UPDATE runs SET cancel_requested = MAX(cancel_requested, ?), updated_at = ? WHERE id = ?').run(CANCEL_CODE[mode], now(), id);
  }

  /**
   * Takes a run for this process: one that nobody owns, or whose owner process has died. Atomic,
   * so two plan servers sharing the database never drive the same run.
   */
  claim(id: string, pid: number, isAlive: (pid: number) => boolean): boolean {
    return this.db
      .transaction(() => {
        const row = this.sql('SELECT owner_pid FROM runs WHERE id = ?').get(id) as { owner_pid: number | null } | undefined;
        if (!row) return false;
        if (row.owner_pid !== null && row.owner_pid !== pid && isAlive(row.owner_pid)) return false;
        this.sql('UPDATE runs SET owner_pid = ? WHERE id = ?').run(pid, id);
        return true;
      })
      .immediate();
  }

  release(id: string, pid: number): void {
    this.sql('UPDATE runs SET owner_pid = NULL WHERE id = ? AND owner_pid = ?').run(id, pid);
  }

  /** Runs a process should drive after a restart: unfinished and not waiting for a person. */
  resumable(): string[] {
    return (
      this.sql(`SELECT id FROM runs WHERE state IN ('queued','running','compensating') ORDER BY created_at`).all() as {
        id: string;
      }[]
    ).map((r) => r.id);
  }

  /** One journal boundary of a step: its new state and the journal line, in one transaction. */
  stepEvent(runId: string, stepId: string, event: string, change: StepChange, detail?: unknown): void {
    this.stepEvents(runId, [{ stepId, event, change, detail }]);
  }

  /**
   * Several boundaries, in order, in one transaction: all of them are recorded or none is. Consecutive
   * boundaries of the same step (a start and its call) change its row in one statement, and the
   * journal lines go in one statement: the rows come out as they would one boundary at a time.
   */
  stepEvents(runId: string, events: readonly StepEvent[]): void {
    this.stepEventsUnlessCancelled(runId, events, []);
  }

  /**
   * `always`, then — unless the run was asked to stop — `unlessCancelled`, in one transaction: a
   * step's start reads the cancel request in the transaction that records it. False when it stopped.
   */
  stepEventsUnlessCancelled(runId: string, always: readonly StepEvent[], unlessCancelled: readonly StepEvent[]): boolean {
    this.tx ??= this.db.transaction((id: string, first: readonly StepEvent[], then: readonly StepEvent[]): boolean => {
      const at = now();
      this.applyStepEvents(id, first, at);
      if (then.length === 0) return true;
      if (this.cancelMode(id) !== null) return false;
      this.applyStepEvents(id, then, at);
      return true;
    });
    return this.tx(runId, always, unlessCancelled);
  }
  private tx: ((runId: string, always: readonly StepEvent[], unlessCancelled: readonly StepEvent[]) => boolean) | undefined;

  private applyStepEvents(runId: string, batch: readonly StepEvent[], at: string): void {
    let i = 0;
    while (i < batch.length) {
      const stepId = batch[i]!.stepId;
      const changes: StepChange[] = [];
      for (; i < batch.length && batch[i]!.stepId === stepId; i++) changes.push(batch[i]!.change);
      this.changeStep(runId, stepId, changes, at);
    }
    this.journalLines(
      runId,
      at,
      batch.map((e) => [e.stepId, e.event, e.detail]),
    );
  }

  /** A step row's changes, applied in order, as one UPDATE. */
  private changeStep(runId: string, stepId: string, changes: readonly StepChange[], at: string): void {
    const values = new Map<string, unknown>();
    let attempts = 0;
    for (const change of changes) {
      if (change.state) values.set('state = ?', change.state);
      if (change.attempt) attempts++;
      if (change.key !== undefined) values.set('key = ?', change.key);
      if (change.output !== undefined) values.set('output = ?', JSON.stringify(change.output));
      if (change.error !== undefined) values.set('error = ?', change.error === null ? null : JSON.stringify(change.error));
      if (change.finished) values.set('finished_at = ?', at);
      if (change.undo !== undefined) values.set('undo_state = ?', change.undo);
    }
    const sets = [...values.keys()];
    const params = [...values.values()];
    if (attempts) {
      sets.push('attempts = attempts + ?, started_at = COALESCE(started_at, ?)');
      params.push(attempts, at);
    }
    if (sets.length) this.sql(`UPDATE steps SET ${sets.join(', ')} WHERE run_id = ? AND step_id = ?`).run(...params, runId, stepId);
  }

  /** Journal lines of one run, written by one statement (a few at a time). */
  private journalLines(runId: string, at: string, lines: readonly (readonly [string | null, string, unknown])[]): void {
    if (lines.length === 0) return;
    for (let start = 0; start < lines.length; start += JOURNAL_LINES_PER_INSERT) {
      const chunk = lines.slice(start, start + JOURNAL_LINES_PER_INSERT);
      const params: unknown[] = [];
      for (const [stepId, event, detail] of chunk)
        params.push(runId, stepId, at, event, detail === null || detail === undefined ? null : JSON.stringify(detail));
      this.sql(`INSERT INTO journal (run_id, step_id, at, event, detail) VALUES ${chunk.map(() => '(?,?,?,?,?)').join(',')}`).run(
        ...params,
      );
    }
  }

  journal(runId: string, stepId: string | null, event: string, detail: unknown): void {
    // runs.updated_at moves with state changes only: updating the run row (which holds the whole
    // plan) on every journal line would rewrite it per step.
    this.journalLines(runId, now(), [[stepId, event, detail]]);
  }

  // ---- previews a person approves ----

  /**
   * Remembers what the person is about to be shown for these plan_run arguments. A preview still
   * waiting for its run is kept: the kernel previews again when the approved call comes back, and
   * the approval covers what the person saw, not what a later preview shows.
   */
  /** The tools a server listed when it last ran under this identity (its settings and build); none when it changed since. */
  toolList(server: string, identity: string): unknown[] | undefined {
    const row = this.sql('SELECT tools FROM tool_lists WHERE server = ? AND identity = ?').get(server, identity) as
      { tools: string } | undefined;
    return row ? (JSON.parse(row.tools) as unknown[]) : undefined;
  }

  saveToolList(server: string, identity: string, tools: readonly unknown[]): void {
    this.db
      .prepare(
        'INSERT INTO tool_lists (server, identity, tools, listed_at) VALUES (?,?,?,?) ON CONFLICT(server) DO UPDATE SET identity = excluded.identity, tools = excluded.tools, listed_at = excluded.listed_at',
      )
      .run(server, identity, JSON.stringify(tools), now());
  }

  savePreview(argsHash: string, approval: RunApproval): void {
    this.db
      .transaction(() => {
        this.sql(`DELETE FROM previews WHERE created_at < ?`).run(new Date(Date.now() - 7 * 86_400_000).toISOString());
        const waiting = this.waitingPreview(argsHash);
        if (waiting) return;
        this.db
          .prepare('INSERT INTO previews (args_hash, created_at, approval) VALUES (?,?,?)')
          .run(argsHash, now(), JSON.stringify(approval));
      })
      .immediate();
  }

  /** The preview the person saw for these arguments, taken: one approval, one run. */
  takePreview(argsHash: string): RunApproval | undefined {
    return this.db
      .transaction(() => {
        const waiting = this.waitingPreview(argsHash);
        if (waiting) this.sql('DELETE FROM previews WHERE id = ?').run(waiting.id);
        return waiting?.approval;
      })
      .immediate();
  }

  private waitingPreview(argsHash: string): { id: number; approval: RunApproval } | undefined {
    const rows = this.sql('SELECT id, approval FROM previews WHERE args_hash = ? ORDER BY id').all(argsHash) as {
      id: number;
      approval: string;
    }[];
    for (const row of rows) {
      const approval = JSON.parse(row.approval) as RunApproval;
      if (approval.expiresAt > Date.now()) return { id: row.id, approval };
    }
    return undefined;
  }

  // ---- playbooks ----

  savePlaybook(name: string, plan: Plan, description: string | undefined): number {
    return this.db
      .transaction(() => {
        const last = this.sql('SELECT MAX(version) AS v FROM playbooks WHERE name = ?').get(name) as { v: number | null };
        const version = (last.v ?? 0) + 1;
        this.db
          .prepare('INSERT INTO playbooks (name, version, description, plan, created_at) VALUES (?,?,?,?,?)')
          .run(name, version, description ?? null, JSON.stringify(plan), now());
        return version;
      })
      .immediate();
  }

  playbook(name: string, version?: number): { name: string; version: number; plan: Plan; description: string | null; createdAt: string } {
    const row = (
      version === undefined
        ? this.sql('SELECT * FROM playbooks WHERE name = ? ORDER BY version DESC LIMIT 1').get(name)
        : this.sql('SELECT * FROM playbooks WHERE name = ? AND version = ?').get(name, version)
    ) as { name: string; version: number; plan: string; description: string | null; created_at: string } | undefined;
    if (!row)
      throw new HearthError(
        'NOT_FOUND',
        `playbook: there is no playbook ${name}${version === undefined ? '' : ` version ${version}`}`,
        'Call plan_playbooks to see the saved playbooks, or plan_save to save one.',
        { details: { field: 'playbook' } },
      );
    return {
      name: row.name,
      version: row.version,
      plan: JSON.parse(row.plan) as Plan,
      description: row.description,
      createdAt: row.created_at,
    };
  }

  playbooks(): { name: string; version: number; description: string | null; createdAt: string; steps: number; inputs: string[] }[] {
    const rows = this.db
      .prepare(
        'SELECT p.* FROM playbooks p JOIN (SELECT name, MAX(version) v FROM playbooks GROUP BY name) m ON p.name = m.name AND p.version = m.v ORDER BY p.name',
      )
      .all() as { name: string; version: number; plan: string; description: string | null; created_at: string }[];
    return rows.map((r) => {
      const plan = JSON.parse(r.plan) as Plan;
      return {
        name: r.name,
        version: r.version,
        description: r.description,
        createdAt: r.created_at,
        steps: plan.steps.length,
        inputs: Object.keys(plan.inputs),
      };
    });
  }
}

function toStep(r: RawStep): StepRow {
  return {
    stepId: r.step_id,
    idx: r.idx,
    state: r.state,
    attempts: r.attempts,
    key: r.key,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    output: parse(r.output),
    error: parse(r.error),
    undoState: r.undo_state,
  };
}

function toRun(row: RawRun): RunRow {
  return {
    id: row.id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    state: row.state,
    plan: JSON.parse(row.plan) as Plan,
    inputs: JSON.parse(row.inputs) as Record<string, unknown>,
    mode: row.mode,
    playbook: row.playbook,
    approval: parse<RunApproval>(row.approval),
    reason: row.reason,
    outputs: parse(row.outputs),
    cancelRequested: row.cancel_requested !== 0,
    cancelMode: cancelModeOf(row.cancel_requested),
    ownerPid: row.owner_pid,
  };
}

function cancelModeOf(code: number): CancelMode | null {
  return code === 0 ? null : code >= CANCEL_CODE.abort ? 'abort' : 'after-step';
}
