// A run as it is kept: the task, the bounds, every model round and tool call, every approval with
// the preview the person saw, the cost, the transcript and the artifacts. One folder per run under
// <home>/runs/<id>/ with run.json (written whole, by rename, so a crash never leaves half a record).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { HearthError } from '../../lib/errors.js';
import type { CallRecord, Message } from './loop.js';

export interface ApprovalRecord {
  server: string;
  tool: string;
  preview: string;
  decision: 'approved' | 'denied';
  by: string;
  reason?: string;
  at: string;
}

export interface RunRecord {
  id: string;
  task: string;
  startedAt: string;
  endedAt: string;
  mode: string;
  servers: string[];
  limits: { rounds: number; tokens: number; usd: number };
  outcome: string;
  reason: string;
  answer: string;
  rounds: number;
  inputTokens: number;
  outputTokens: number;
  usdMicros: number;
  models: string[];
  scripted: boolean;
  calls: CallRecord[];
  approvals: ApprovalRecord[];
  artifacts: { uri: string; file?: string }[];
  logged: string;
  transcript: Message[];
}

const RUN_ID = /^r-\d{8}-\d{6}-[0-9a-f]{4}$/;

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `r-${stamp}-${randomBytes(2).toString('hex')}`;
}

export class RunStore {
  constructor(readonly dir: string) {}

  folder(id: string): string {
    const folder = join(this.dir, id);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    return folder;
  }

  save(record: RunRecord): string {
    const file = join(this.folder(record.id), 'run.json');
    const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temp, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    renameSync(temp, file);
    return file;
  }

  list(): RunRecord[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((name) => RUN_ID.test(name) && existsSync(join(this.dir, name, 'run.json')))
      .sort()
      .map((name) => this.load(name));
  }

  load(id: string): RunRecord {
    if (!RUN_ID.test(id))
      throw new HearthError(
        'INVALID_ARGUMENT',
        `run id: ${JSON.stringify(id)} is not a run id`,
        'Run ids look like r-20261127-204512-ab12; see `hearth runs list`.',
      );
    const file = join(this.dir, id, 'run.json');
    if (!existsSync(file)) throw new HearthError('NOT_FOUND', `there is no run ${id} in ${this.dir}`, 'See `hearth runs list`.');
    return JSON.parse(readFileSync(file, 'utf8')) as RunRecord;
  }
}
