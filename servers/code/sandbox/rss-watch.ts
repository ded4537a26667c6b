// A host-side memory cap for a sandbox process. The isolate's own heap limit is not enough on
// every V8: on Node 24 (V8 13.6) a loop pushing small arrays grows an isolate far past its
// `memoryLimit` (measured: past 12 GB with a 48 MB limit) while Node 22 stops it at the limit.
// So while a sandbox process has work in flight, its resident set is sampled and the process is
// ended when it passes its cap. Linux reads /proc; macOS asks `ps`; elsewhere there is no sample.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

const SAMPLE_MS = 100;

/** The resident set of a process in bytes, or undefined when it cannot be read here. */
export async function residentBytes(pid: number): Promise<number | undefined> {
  if (process.platform === 'linux') {
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
      return kb === undefined ? undefined : Number(kb) * 1024;
    } catch {
      return undefined;
    }
  }
  if (process.platform === 'darwin') {
    return new Promise((resolve) => {
      execFile('ps', ['-o', 'rss=', '-p', String(pid)], { timeout: 1_000 }, (error, stdout) => {
        const kb = Number.parseInt(stdout.trim(), 10);
        resolve(error || !Number.isFinite(kb) ? undefined : kb * 1024);
      });
    });
  }
  return undefined;
}

export class RssWatch {
  private timer: NodeJS.Timeout | undefined;
  private sampling = false;

  constructor(
    private readonly pid: number,
    /** The cap in bytes, asked at every sample (it follows the isolates the process holds). */
    private readonly capBytes: () => number,
    private readonly onExceeded: (rssBytes: number, capBytes: number) => void,
  ) {}

  get running(): boolean {
    return this.timer !== undefined;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      const rss = await residentBytes(this.pid);
      const cap = this.capBytes();
      if (this.timer && rss !== undefined && rss > cap) {
        this.stop();
        this.onExceeded(rss, cap);
      }
    } finally {
      this.sampling = false;
    }
  }
}
