// The golden path's test stage: the job board, the person's CV and notes ingested into memory, a
// fake Ollama server scripted with the model's turns, and `hearth run` in a real pseudo-terminal
// (or without one) from the sources.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { spawn as spawnPty } from '@lydell/node-pty';

import type { GoldenTurn } from '../../orchestrator/demo/golden-path.js';
import { type GoldenStage, ingestDocuments, prepareGoldenStage } from '../../orchestrator/demo/golden-stage.js';
import { FakeLlm, type FakeStep } from '../fixtures/llm/fake-llm.js';
import { connectStdio, REPO } from '../helpers/mcp-client.js';
import { type TempHome, tempHome } from '../helpers/temp-home.js';

export interface RunStage {
  home: TempHome;
  stage: GoldenStage;
  fake: FakeLlm;
  env: Record<string, string>;
  /** Points the budget server at a fresh model name and queues its answers. */
  script(model: string, steps: FakeStep[]): void;
  setMode(mode: 'observe' | 'draft' | 'autopilot'): void;
  close(): Promise<void>;
}

export const asSteps = (turns: readonly GoldenTurn[]): FakeStep[] =>
  turns.map((t) => ({ answer: { text: t.text, toolCalls: t.toolCalls } }));

export async function runStage(): Promise<RunStage> {
  const home = tempHome('hearth-run-');
  const fake = await FakeLlm.start();
  const stage = await prepareGoldenStage(home.dir, {
    kind: 'ollama',
    baseUrl: fake.baseUrl('ollama'),
    model: 'golden',
    price: { inputPerMTok: 1, outputPerMTok: 4 },
  });
  const env = { HEARTH_HOME: home.dir, HEARTH_LOG_LEVEL: 'warn' };
  const memory = await connectStdio('orchestrator/cli.ts', ['mcp', 'memory'], env, {
    onElicit: () => ({ action: 'accept', content: { approve: true } }),
  });
  try {
    await ingestDocuments(memory.client, stage.documents);
  } finally {
    await memory.close();
  }
  const configFile = join(home.dir, 'config.json');
  const policyFile = join(home.dir, 'policy.json');
  return {
    home,
    stage,
    fake,
    env,
    script(model, steps) {
      const config = JSON.parse(readFileSync(configFile, 'utf8')) as { servers: { budget: Record<string, unknown> } };
      const budget = config.servers.budget;
      budget.tiers = { fast: [`ollama/${model}`], smart: [`ollama/${model}`] };
      budget.prices = { [`ollama/${model}`]: { inputPerMTok: 1, outputPerMTok: 4 } };
      writeFileSync(configFile, JSON.stringify(config, null, 2));
      fake.script(model, ...steps);
    },
    setMode(mode) {
      const policy = JSON.parse(readFileSync(policyFile, 'utf8')) as Record<string, unknown>;
      writeFileSync(policyFile, JSON.stringify({ ...policy, mode }, null, 2));
    },
    async close() {
      await stage.close();
      await fake.close();
      home.cleanup();
    },
  };
}

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[()][A-Za-z0-9]|\u001b[=>78]/g;

export interface PtyRun {
  /** Everything the terminal showed, escape sequences removed. */
  screen(): string;
  /** Everything written to the terminal, escape sequences included. */
  raw(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  write(data: string): void;
  exited: Promise<{ exitCode: number; signal?: number }>;
  kill(): void;
}

const CLI = resolve(REPO, 'orchestrator/cli.ts');

/** `hearth run …` in a pseudo-terminal, 220 columns wide. */
export function ptyRun(args: string[], env: Record<string, string>): PtyRun {
  const term = spawnPty(process.execPath, ['--no-node-snapshot', '--import', 'tsx', CLI, 'run', ...args], {
    name: 'xterm-256color',
    cols: 220,
    rows: 60,
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TERM: 'xterm-256color', ...env },
  });
  let raw = '';
  term.onData((d) => (raw += d));
  const exited = new Promise<{ exitCode: number; signal?: number }>((r) => term.onExit((e) => r(e)));
  let done = false;
  void exited.then(() => (done = true));
  const screen = () => raw.replace(ANSI, '').replace(/\r/g, '');
  return {
    screen,
    raw: () => raw,
    async waitFor(pattern, timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(screen())) {
        if (done) throw new Error(`hearth run ended before ${pattern}; the terminal showed:\n${screen()}`);
        if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms; the terminal showed:\n${screen()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    write: (data) => term.write(data),
    exited,
    kill: () => {
      if (!done) term.kill();
    },
  };
}
