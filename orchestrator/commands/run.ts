// `hearth run "task"`: the assistant in a terminal. The suite's servers are started over stdio, the
// budget server's llm_generate is the model, the other servers' tools are its functions; approvals
// are the servers' own, shown here as previews. Without a terminal (or with --json) it prints JSON
// lines and never waits for input.
import { HearthError } from '../../lib/errors.js';
import { loadPolicy } from '../../policies/load.js';
import { Mode, MODES, narrow } from '../../policies/modes.js';
import { loadConfig } from '../../shared/config.js';
import { carriedSettings } from '../carried-settings.js';
import type { Command } from '../cli-io.js';
import { CONFIG_HELP, configFlags, parseCommand } from '../config-flags.js';
import { serverNames } from '../registry.js';
import { jsonView } from '../run/json-view.js';
import { otherServers } from '../run/other-servers.js';
import { runAudit } from '../run/run-audit.js';
import { runTask } from '../run/run-session.js';
import { terminalView } from '../run/terminal-view.js';

const DEFAULTS = { servers: 'memory,web,code', rounds: 20, tokens: 200_000, usd: 0.5 } as const;

export const USAGE = `hearth run "task" [--mode observe|draft|autopilot] [--max-rounds ${DEFAULTS.rounds}] [--max-tokens ${DEFAULTS.tokens}] [--max-cost ${DEFAULTS.usd}] [--servers ${DEFAULTS.servers}] [--tier auto|fast|smart] [--plan] [--json]

Runs a task with a language model (through the budget server) and the suite's tools. Tools that read
run directly; a change (submitting a form, writing a file) shows you a preview and waits for your
approval in draft mode. --mode may only narrow the policy's mode, never widen it. The run stops at
the first bound it reaches: model rounds, tokens, or money (US dollars, charged to the run as a task).
Ctrl-C cancels the running call and stops. Every run is saved under <home>/runs (see \`hearth runs\`)
and logged to memory's task history.

With --plan the model writes the whole task as one plan (docs/plan.schema.json) instead of calling
tools one by one. Hearth validates it with the plan server (the model gets one chance to fix what is
wrong), shows the simulation, stops there in observe mode, asks you once in draft mode, then runs it
with a live step list.

Other MCP servers listed in the config (servers.plan.servers.<name> with "hearth": false) join the
run: the model calls their tools as <name>__<tool>. Hearth cannot preview what they do, so a tool of
theirs not marked read-only is not called in observe mode and asks you first in draft mode.

Without a terminal, or with --json, it prints one JSON object per line and never waits for input:
a change that needs approval is declined and the run stops.

${CONFIG_HELP}`;

function positiveNumber(flag: string, raw: string | undefined, fallback: number, integer: boolean): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw new HearthError(
      'INVALID_ARGUMENT',
      `--${flag}: ${JSON.stringify(raw)} is not a positive ${integer ? 'whole ' : ''}number`,
      `For example --${flag} ${fallback}.`,
    );
  return value;
}

export const run: Command = async (args, io) => {
  const { values, positionals } = parseCommand(
    args,
    {
      'max-rounds': { type: 'string' },
      'max-tokens': { type: 'string' },
      'max-cost': { type: 'string' },
      servers: { type: 'string' },
      tier: { type: 'string' },
      json: { type: 'boolean' },
      plan: { type: 'boolean' },
    },
    USAGE,
  );
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const task = positionals.join(' ').trim();
  if (!task)
    throw new HearthError('INVALID_ARGUMENT', 'no task given', 'Say what to do: hearth run "find the invoice from March in my documents".');
  const requested = values.mode === undefined ? undefined : Mode.safeParse(values.mode);
  if (requested && !requested.success)
    throw new HearthError('INVALID_ARGUMENT', `--mode: ${JSON.stringify(values.mode)} is not a mode`, `Use one of ${MODES.join(', ')}.`);
  const tier = values.tier ?? 'auto';
  if (tier !== 'auto' && tier !== 'fast' && tier !== 'smart')
    throw new HearthError('INVALID_ARGUMENT', `--tier: ${JSON.stringify(tier)} is not a tier`, 'Use auto, fast or smart.');
  const servers = (values.servers ?? DEFAULTS.servers).split(',').filter(Boolean);
  const unknown = servers.filter((s) => !serverNames().includes(s));
  if (unknown.length)
    throw new HearthError(
      'INVALID_ARGUMENT',
      `--servers: no server named ${unknown.join(', ')}`,
      `Choose from ${serverNames().join(', ')}.`,
    );
  const limits = {
    rounds: positiveNumber('max-rounds', values['max-rounds'], DEFAULTS.rounds, true),
    tokens: positiveNumber('max-tokens', values['max-tokens'], DEFAULTS.tokens, true),
    usd: positiveNumber('max-cost', values['max-cost'], DEFAULTS.usd, false),
  };

  // --mode narrows per call (hearth/mode), so it is not handed to the servers as their own mode.
  const { mode: _narrowing, plan: asPlan, ...settings } = values;
  const { config } = loadConfig(configFlags(settings), io.env);
  const { policy, source } = loadPolicy(config.policyFile, config.home);
  const granted = config.mode ?? policy.mode;
  const mode = narrow(granted, requested?.data);
  const carried = carriedSettings(settings, {}, process.cwd());
  const others = otherServers(config);
  const audit = runAudit(config, io.env);

  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    controller.abort('interrupted');
  };
  process.on('SIGINT', onSigint);
  const interactive = !values.json && process.stdout.isTTY === true && process.stdin.isTTY === true;
  const view = interactive ? terminalView({ onPromptCancel: () => controller.abort('interrupted') }) : jsonView((line) => io.out(line));
  if (requested?.data && mode !== requested.data)
    view.note(`--mode ${requested.data} would widen the policy's ${granted} mode (${source}); the run uses ${mode}.`);
  try {
    const { summary } = await runTask({
      task,
      mode,
      servers,
      plan: asPlan === true,
      limits,
      tier,
      home: config.home,
      launch: {
        command: process.execPath,
        prefix: [...process.execArgv, process.argv[1]!],
        suffix: carried.args,
        env: { ...(io.env as Record<string, string>), HEARTH_LOG_LEVEL: io.env.HEARTH_LOG_LEVEL ?? 'warn' },
      },
      view,
      others,
      audit: audit.append,
      signal: controller.signal,
    });
    return { answered: 0, denied: 3, limit: 4, failed: 1, cancelled: 130 }[summary.outcome as 'answered'] ?? 1;
  } finally {
    audit.close();
    process.off('SIGINT', onSigint);
  }
};
