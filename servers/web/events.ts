// Things that happen in a session between and during calls — blocked requests, dialogs, popups,
// downloads, page crashes — queued until the next tool result reports them. Bounded: a page that
// hammers a foreign origin cannot grow the queue without limit; the overflow is counted instead.
import * as z from 'zod';

export const WebEvent = z.object({
  kind: z.enum(['blocked', 'dialog', 'popup', 'download', 'crash', 'closed']),
  text: z.string().describe('One line saying what happened.'),
  url: z.string().optional(),
  tab: z.string().optional(),
});
export type WebEvent = z.infer<typeof WebEvent>;

const MAX_PENDING = 50;

export class EventQueue {
  private pending: WebEvent[] = [];
  private dropped = 0;
  private blockedKeys = new Set<string>();

  push(event: WebEvent): void {
    // The same blocked URL reported by both layers (routing and proxy) is one event.
    if (event.kind === 'blocked' && event.url) {
      const key = event.url;
      if (this.blockedKeys.has(key)) return;
      this.blockedKeys.add(key);
    }
    if (this.pending.length >= MAX_PENDING) {
      this.dropped++;
      return;
    }
    this.pending.push(event);
  }

  /** Everything since the last drain; the overflow becomes one final line. */
  drain(): WebEvent[] {
    const out = this.pending;
    if (this.dropped > 0) out.push({ kind: 'blocked', text: `… and ${this.dropped} more events not listed` });
    this.pending = [];
    this.dropped = 0;
    this.blockedKeys = new Set();
    return out;
  }
}
