// `hearth plan validate|simulate|run|status|list|cancel|resume`: the plan server from a terminal. The
// command is an MCP client of the plan server (run in this process, under the same kernel, policy
// and audit as `hearth mcp plan`), with a live step list while a run goes.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';

import { type CallToolResult, Client, InMemoryTransport } from '@modelcontextprotocol/client';

import { HearthError, invalidArgument } from '../../lib/errors.js';
import { inert } from '../../lib/terminal-text.js';
import { loadConfig } from '../../shared/config.js';
import type { HearthServer } from '../../shared/server.js';
import type { CliIO, Command } from '../cli-io.js';
import { CONFIG_HELP, configFlags, parseCommand } from '../config-flags.js';
import { nativeModulesFor, requireNativeModules } from '../native-modules.js';
import { findServer } from '../registry.js';

export const USAGE = `hearth plan validate <plan.json | --playbook name>
hearth plan simulate <plan.json | --playbook name> [--input name=value]... [--inputs inputs.json]
hearth plan run <plan.json | --playbook name> [--input name=value]... [--inputs inputs.json] [--detach]
hearth plan status <run> [--journal] [--follow]
hearth plan list [--state queued|running|paused|compensating|completed|failed|cancelled] [--limit n]
hearth plan cancel <run> [--abort]
hearth plan resume <run> [--outcome ran|not-run|fail]
  every subcommand takes --json for the structured result

Plans are JSON (the language is in docs/plan.schema.json). \`run\` shows the simulated plan and, in
draft mode, asks you to approve it once on a terminal (elsewhere it is queued: \`hearth approvals\`);
then follows the run with a live step list. Ctrl-C leaves the run going; \`hearth plan status\` finds it.
\`cancel\` lets the step in flight finish, then undoes the completed steps; --abort stops that step mid-call.

${CONFIG_HELP}`;

const VERBS = ['validate', 'simulate', 'run', 'status', 'list', 'cancel', 'resume'] as const;
type Verb = (typeof VERBS)[number];
const FOLLOW_MS = 600_000;
const FOLLOW_STEPS = 30;

interface Session {
  client: Client;
  close(): Promise<void>;
}

async function open(server: HearthServer, canAsk: boolean, io: CliIO): Promise<Session> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect('in-process').connect(serverSide);
  const client = new Client({ name: 'hearth-plan-cli', version: '1.0.0' }, { capabilities: canAsk ? { elicitation: { form: {} } } : {} });
  if (canAsk) {
    client.setRequestHandler('elicitation/create', async (request) => {
      const { message } = request.params as { message: string };
      io.err(inert(message));
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        const yes = /^y(es)?$/i.test((await rl.question('Approve this plan? [y/N] ')).trim());
        return { action: 'accept', content: { approve: yes } };
      } finally {
        rl.close();
      }
    });
  }
  await client.connect(clientSide);
  return {
    client,
    close: async () => {
      await client.close().catch(() => undefined);
      await server.close();
    },
  };
}

function readJson(path: string, field: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw invalidArgument(field, `cannot read ${path}`, 'Give the path of a JSON file.');
  }
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value as Record<string, unknown>;
  } catch {
    throw invalidArgument(field, `${path} is not a JSON object`, 'Check the file with a JSON linter.');
  }
}

function inputsFrom(values: { input?: string[] | undefined; inputs?: string | undefined }): Record<string, unknown> {
  const inputs = values.inputs ? readJson(values.inputs, '--inputs') : {};
  for (const pair of values.input ?? []) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw invalidArgument('--input', `${pair} is not name=value`, 'Write --input name=value (a JSON value, or text).');
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Plain text is a string input.
    }
    inputs[pair.slice(0, eq)] = value;
  }
  return inputs;
}

function textOf(result: CallToolResult): string {
  return result.content
    .filter((c): c is { type: 'text'; text: string } => c.type === 'text')
    .map((c) => c.text)
    .join('\n');
}

/**
 * Prints the run's step list as it changes: redrawn in place on a terminal, as new blocks elsewhere.
 * A long run shows a window of FOLLOW_STEPS steps that moves along with the step running.
 */
async function follow(client: Client, run: string, io: CliIO, tty: boolean): Promise<CallToolResult> {
  let shown = '';
  let lines = 0;
  let offset = 0;
  const deadline = Date.now() + FOLLOW_MS;
  for (;;) {
    const result = await client.callTool({ name: 'plan_status', arguments: { run, waitMs: 500, offset, limit: FOLLOW_STEPS } });
    const progress = (result.structuredContent as { run?: { progress?: { done: number; total: number } } } | undefined)?.run?.progress;
    if (progress) offset = Math.max(0, Math.min(progress.done - 3, progress.total - FOLLOW_STEPS));
    const text = inert(textOf(result));
    if (text !== shown) {
      if (tty && lines) process.stderr.write(`\u001b[${lines}A\u001b[J`);
      io.err(text);
      shown = text;
      lines = text.split('\n').length;
    }
    const state = (result.structuredContent as { run?: { state?: string } } | undefined)?.run?.state;
    if (result.isError || !state || ['completed', 'failed', 'cancelled', 'paused'].includes(state) || Date.now() > deadline) return result;
  }
}

export const plan: Command = async (args, io) => {
  const { values, positionals } = parseCommand(
    args,
    {
      playbook: { type: 'string' },
      input: { type: 'string', multiple: true },
      inputs: { type: 'string' },
      detach: { type: 'boolean' },
      journal: { type: 'boolean' },
      follow: { type: 'boolean' },
      state: { type: 'string' },
      limit: { type: 'string' },
      outcome: { type: 'string' },
      abort: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    USAGE,
  );
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const [verb, target, ...extra] = positionals as [Verb | undefined, string | undefined, ...string[]];
  if (!verb || !VERBS.includes(verb))
    throw new HearthError(
      'INVALID_ARGUMENT',
      verb ? `hearth plan has no subcommand ${verb}` : 'which subcommand?',
      `Use one of: ${VERBS.join(', ')}.`,
    );
  if (extra.length)
    throw invalidArgument('arguments', `unexpected ${extra.join(' ')}`, 'Quote a file name with spaces; one plan or run per command.');
  const needsPlan = verb === 'validate' || verb === 'simulate' || verb === 'run';
  const needsRun = verb === 'status' || verb === 'cancel' || verb === 'resume';
  if (needsPlan && !target && !values.playbook)
    throw invalidArgument('plan', 'no plan given', 'Pass a plan file (plan.json) or --playbook <name>.');
  if (needsRun && !target) throw invalidArgument('run', 'no run given', 'Pass a run id; `hearth plan list` shows them.');

  // The servers' own info lines would bury the step list; --log-level brings them back.
  const flags = configFlags(values);
  const { config, file } = loadConfig({ ...flags, logLevel: flags.logLevel ?? io.env.HEARTH_LOG_LEVEL ?? 'warn' }, io.env);
  requireNativeModules(nativeModulesFor(['plan']));
  const server = await (await findServer('plan')!.load())(config, file);
  const tty = process.stderr.isTTY === true && !values.json;
  const session = await open(server, process.stdin.isTTY === true && !values.json, io);
  try {
    const source = needsPlan ? (values.playbook ? { playbook: values.playbook } : { plan: readJson(target!, 'plan') }) : {};
    const call = async (name: string, a: Record<string, unknown>) =>
      await session.client.callTool({ name, arguments: a }, { timeout: FOLLOW_MS + 60_000 });
    let result: CallToolResult;
    switch (verb) {
      case 'validate':
        result = await call('plan_validate', source);
        break;
      case 'simulate':
        result = await call('plan_simulate', { ...source, inputs: inputsFrom(values) });
        break;
      case 'run': {
        result = await call('plan_run', { ...source, inputs: inputsFrom(values) });
        const id = (result.structuredContent as { run?: { id?: string } } | undefined)?.run?.id;
        if (!result.isError && id && !values.detach) result = await follow(session.client, id, io, tty);
        break;
      }
      case 'status':
        result = values.follow
          ? await follow(session.client, target!, io, tty)
          : await call('plan_status', { run: target, journal: values.journal === true });
        break;
      case 'list':
        result = await call('plan_list', {
          ...(values.state ? { state: values.state } : {}),
          ...(values.limit ? { limit: Number(values.limit) } : {}),
        });
        break;
      case 'cancel':
        result = await call('plan_cancel', { run: target, mode: values.abort ? 'abort' : 'after-step', waitMs: 60_000 });
        break;
      case 'resume':
        result = await call('plan_resume', { run: target, ...(values.outcome ? { stepOutcome: values.outcome } : {}) });
        if (!result.isError) result = await follow(session.client, target!, io, tty);
        break;
    }
    if (values.json) io.out(JSON.stringify(result.structuredContent ?? {}, null, 2));
    else if (!(tty && (verb === 'run' || verb === 'resume' || values.follow)) || result.isError) io.out(inert(textOf(result)));
    if (result.isError) return 1;
    const state = (result.structuredContent as { run?: { state?: string }; valid?: boolean } | undefined) ?? {};
    if (state.valid === false) return 1;
    return state.run?.state && ['failed', 'cancelled', 'paused'].includes(state.run.state) ? 1 : 0;
  } finally {
    await session.close();
  }
};
