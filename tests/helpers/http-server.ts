// Spawns an HTTP entry point and waits for its "listening on <url>" line.
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

import { REPO } from './mcp-client.js';

export interface RunningServer {
  url: string;
  child: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

export async function startHttpEntry(entry: string, args: string[], env: Record<string, string>): Promise<RunningServer> {
  const child = spawn(
    process.execPath,
    ['--no-node-snapshot', ...(entry.endsWith('.ts') ? ['--import', 'tsx'] : []), resolve(REPO, entry), ...args],
    {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no "listening on" line within 60 s; stderr: ${stderr}`)), 60_000);
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        done(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`exited with ${code} before listening; stderr: ${stderr}`));
    });
  });
  return {
    url,
    child,
    stderr: () => stderr + (stdout ? `\n[stdout] ${stdout}` : ''),
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
