// The artifact log of one session: a folder under <home>/web/logs/ with actions.jsonl (each action,
// its masked arguments, where it ended, what was blocked) and a screenshot after each action.
// Screenshots are taken off the critical path: the result goes back to the client while the
// capture runs, captures are serialized so the log stays in order, and the next action of the
// session waits for the capture (flush) so it shows the page as the action left it.
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Logger } from 'pino';

import { describeError } from '../../lib/errors.js';
import type { WebEvent } from './events.js';
import type { Tab } from './tab.js';

export interface LogEntry {
  tool: string;
  args?: unknown;
  url?: string;
  title?: string;
  summary?: string;
  error?: { code: string; message: string };
  events?: WebEvent[];
}

export class SessionLog {
  readonly dir: string;
  private seq = 0;
  private pending: Promise<void> = Promise.resolve();
  private shots = 0;

  constructor(
    root: string,
    readonly folder: string,
    private readonly log: Logger,
    private readonly screenshots: boolean,
    /** Size of each screenshot against the viewport (settings.screenshotScale). */
    private readonly scale = 1,
  ) {
    this.dir = join(root, folder);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  get entries(): number {
    return this.seq;
  }

  /** Appends one action; returns its sequence number. */
  record(entry: LogEntry): number {
    const seq = ++this.seq;
    const line = JSON.stringify({ seq, at: new Date().toISOString(), ...entry });
    try {
      appendFileSync(join(this.dir, 'actions.jsonl'), `${line}\n`, { mode: 0o600 });
    } catch (error) {
      this.log.warn({ err: describeError(error) }, 'could not append to the session log');
    }
    return seq;
  }

  /** Queues a screenshot of the tab for entry `seq`. Never throws; never delays the caller. */
  screenshot(seq: number, tab: Tab): void {
    if (!this.screenshots || tab.closed) return;
    this.pending = this.pending.then(async () => {
      try {
        const bytes = await tab.quickShot(this.scale);
        const name = `${String(seq).padStart(4, '0')}.jpg`;
        const file = join(this.dir, name);
        writeFileSync(`${file}.tmp`, bytes, { mode: 0o600 });
        renameSync(`${file}.tmp`, file);
        this.shots++;
        appendFileSync(join(this.dir, 'actions.jsonl'), `${JSON.stringify({ seq, screenshot: name })}\n`, { mode: 0o600 });
      } catch (error) {
        this.log.debug({ err: describeError(error), seq }, 'session log screenshot skipped');
      }
    });
  }

  get screenshotCount(): number {
    return this.shots;
  }

  /** Waits for queued screenshots (before the page or context closes). */
  async flush(): Promise<void> {
    await this.pending;
  }
}
