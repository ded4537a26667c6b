// The hearth CLI: routes a command line to its command. Errors become a message and a hint on
// stderr and a non-zero exit code, never a stack trace; a native module that does not load in this
// Node becomes the one line that says which, for which Node, and the fix.
import { describeError, isHearthError } from '../lib/errors.js';
import { packageInfo } from '../shared/package-info.js';
import { type CliIO, type Command, processIO } from './cli-io.js';
import { mcp } from './commands/mcp.js';
import { serverNames } from './registry.js';
import { nativeProblem, RuntimeProblem } from './runtime.js';

const COMMANDS: Record<string, { run: () => Promise<Command>; summary: string }> = {
  mcp: { run: async () => mcp, summary: 'serve one server over stdio (for Claude Desktop, Claude Code, Cursor, VS Code)' },
  serve: {
    run: async () => (await import('./commands/serve.js')).serve,
    summary: 'serve the servers over Streamable HTTP (authenticated, localhost by default)',
  },
  passphrase: {
    run: async () => (await import('./commands/passphrase.js')).passphrase,
    summary: 'set or clear the HTTP passphrase (stored as argon2id)',
  },
  config: {
    run: async () => (await import('./commands/config.js')).config,
    summary: 'print the snippet that adds Hearth to claude | claude-code | cursor | vscode | http',
  },
  doctor: {
    run: async () => (await import('./commands/doctor.js')).doctor,
    summary: 'check Node, native modules, Chromium, Ollama and the data directory',
  },
  policy: { run: async () => (await import('./commands/policy.js')).policy, summary: 'write, show or check the policy file' },
  demo: { run: async () => (await import('./commands/demo.js')).demo, summary: 'run the servers through a real MCP client on sample data' },
  approvals: {
    run: async () => (await import('./commands/approvals.js')).approvals,
    summary: 'list, show, approve or deny calls waiting for a person',
  },
  audit: { run: async () => (await import('./commands/audit.js')).audit, summary: 'tail the audit log, or verify its hash chain' },
  plan: {
    run: async () => (await import('./commands/plan.js')).plan,
    summary: 'validate, simulate, run and follow plans; status, list, cancel, resume runs',
  },
  run: {
    run: async () => (await import('./commands/run.js')).run,
    summary: 'do a task with a model and the suite’s tools, asking you before any change',
  },
  runs: { run: async () => (await import('./commands/runs.js')).runs, summary: 'list or show the runs `hearth run` saved' },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'hearth — local-first MCP servers under one policy layer',
    '',
    'Usage: hearth <command> [options]',
    '       hearth --version | --help',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    `Servers: ${serverNames().join(', ')}`,
    'Run `hearth <command> --help` (or `hearth help <command>`) for a command’s options.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [first, ...afterFirst] = argv;
  if (first === '--version' || first === '-v') {
    io.out(`hearth ${packageInfo().version}`);
    return 0;
  }
  if (first === undefined || first === '--help' || first === '-h' || (first === 'help' && afterFirst.length === 0)) {
    io.out(help());
    return first === undefined ? 2 : 0;
  }
  // `hearth help <command>` is `hearth <command> --help`.
  const [name, rest] = first === 'help' ? [afterFirst[0]!, ['--help']] : [first, afterFirst];
  if (name.startsWith('-')) {
    io.err(`hearth: unknown option ${name}\nhint: Options go after the command; run \`hearth --help\` for the commands.`);
    return 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`hearth: unknown command ${name}\n\n${help()}`);
    return 2;
  }
  try {
    return await (
      await command.run()
    )(rest, io);
  } catch (error) {
    if (error instanceof RuntimeProblem) {
      io.err(error.message);
      return 1;
    }
    const native = nativeProblem(error, packageInfo().root);
    if (native) {
      io.err(native);
      return 1;
    }
    if (isHearthError(error)) {
      io.err(`hearth ${name}: ${error.message}\nhint: ${error.hint}`);
      return error.code === 'CONFIG_INVALID' || error.code === 'POLICY_INVALID' ? 78 : 2;
    }
    io.err(`hearth ${name}: unexpected failure: ${describeError(error)}`);
    return 1;
  }
}
