// Runs the hearth CLI (through tsx, from source), or any command, as a separate process and captures its output.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

import { REPO } from './mcp-client.js';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string>, input?: string): Promise<CliRun> {
  return runProcess(process.execPath, ['--no-node-snapshot', '--import', 'tsx', resolve(REPO, 'orchestrator/cli.ts'), ...args], {
    cwd: REPO,
    env,
    input,
  });
}

/** Runs a command with only PATH, HOME and `env` in its environment; stdin gets `input`, then ends. */
export function runProcess(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; input?: string } = {},
): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
