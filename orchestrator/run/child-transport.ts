// An MCP client transport over a child process's stdio, like the SDK's StdioClientTransport but with
// the child in its own process group: Ctrl-C in the terminal then reaches `hearth run` alone, which
// cancels the running call over MCP (notifications/cancelled) instead of every server dying with
// the signal. The child still ends when its stdin closes, so it never outlives the run.
import { type ChildProcess, spawn } from 'node:child_process';

import { type JSONRPCMessage, ReadBuffer, serializeMessage, type Transport } from '@modelcontextprotocol/client';

export interface ChildServer {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string | undefined;
  /** Where the child's stderr goes: a file descriptor (a log file) or 'ignore'. */
  stderr: number | 'ignore';
}

export class ChildProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private child: ChildProcess | undefined;
  private readonly buffer = new ReadBuffer();

  constructor(private readonly server: ChildServer) {}

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.server.command, this.server.args, {
        env: this.server.env,
        ...(this.server.cwd ? { cwd: this.server.cwd } : {}),
        stdio: ['pipe', 'pipe', this.server.stderr],
        detached: true,
      });
      this.child = child;
      child.once('error', (error) => {
        reject(error);
        this.onerror?.(error);
      });
      child.once('spawn', () => resolve());
      child.once('close', () => {
        this.child = undefined;
        this.onclose?.();
      });
      child.stdin!.on('error', (error) => this.onerror?.(error));
      child.stdout!.on('data', (chunk: Buffer) => {
        this.buffer.append(chunk);
        for (;;) {
          let message: JSONRPCMessage | null;
          try {
            message = this.buffer.readMessage();
          } catch (error) {
            this.onerror?.(error as Error);
            continue;
          }
          if (message === null) break;
          this.onmessage?.(message);
        }
      });
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.child?.stdin;
      if (!stdin || stdin.destroyed) return reject(new Error('the server process has ended'));
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', () => resolve());
    });
  }

  /** Closes stdin (the server shuts down on its own), then signals the process if it lingers. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const closed = new Promise<void>((r) => child.once('close', () => r()));
    const wait = (ms: number) => Promise.race([closed, new Promise<void>((r) => setTimeout(r, ms).unref())]);
    child.stdin?.end();
    await wait(3_000);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await wait(2_000);
    }
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    this.buffer.clear();
  }
}
