// The configuration flags every command accepts, parsed the same way everywhere.
import { parseArgs, type ParseArgsConfig } from 'node:util';

import { HearthError } from '../lib/errors.js';
import type { ConfigFlags } from '../shared/config.js';

const CONFIG_OPTIONS = {
  config: { type: 'string' },
  home: { type: 'string' },
  policy: { type: 'string' },
  mode: { type: 'string' },
  'log-level': { type: 'string' },
  'log-file': { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  set: { type: 'string', multiple: true },
} as const satisfies ParseArgsConfig['options'];

export const CONFIG_HELP = `Configuration (defaults < config file < HEARTH_* env < flags):
  --config <file>      config file (default <home>/config.json)
  --home <dir>         data directory (HEARTH_HOME; default ~/.local/share/hearth)
  --policy <file>      policy file (HEARTH_POLICY; default <home>/policy.json, else built-in)
  --mode <mode>        observe | draft | autopilot for this process (HEARTH_MODE)
  --log-level <level>  fatal|error|warn|info|debug|trace|silent (HEARTH_LOG_LEVEL)
  --log-file <file>    log to a file instead of stderr (HEARTH_LOG_FILE)
  --set <key=value>    any setting, e.g. --set servers.memory.chunkSize=800`;

/** Every command's `-h` / `--help`. */
const HELP = { help: { type: 'boolean', short: 'h' } } as const satisfies ParseArgsConfig['options'];

/** Parses a command's arguments strictly; a wrong option is a usage error naming it. */
export function parseCommand<O extends ParseArgsConfig['options']>(args: string[], options: O, usage: string) {
  try {
    return parseArgs({ args, options: { ...CONFIG_OPTIONS, ...options, ...HELP }, allowPositionals: true, strict: true });
  } catch (error) {
    const command = usage.split(' ').slice(0, 2).join(' ');
    throw new HearthError(
      'INVALID_ARGUMENT',
      readableParseError(error as Error & { code?: string }),
      `Run \`${command} --help\` for its options.`,
    );
  }
}

/** node:util's parse errors, said shortly (its own advice about `--` rarely applies here). */
function readableParseError(error: Error & { code?: string }): string {
  // The option as node:util quotes it: '--frob', '--mode <value>' or '-h, --help'.
  const quoted = /'(-[^']*)'/.exec(error.message)?.[1] ?? '';
  const longest = quoted
    .replace(/ <value>$/, '')
    .split(', ')
    .pop();
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${longest ?? ''}`.trim();
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE')
    return /argument missing/.test(error.message) ? `option ${longest ?? ''} needs a value` : `option ${longest ?? ''} takes no value`;
  return error.message;
}

export function configFlags(values: Record<string, unknown>): ConfigFlags {
  const pick = (key: string) => (typeof values[key] === 'string' ? values[key] : undefined);
  const flags: ConfigFlags = {};
  const assign = <K extends keyof ConfigFlags>(key: K, value: ConfigFlags[K] | undefined) => {
    if (value !== undefined) flags[key] = value;
  };
  assign('config', pick('config'));
  assign('home', pick('home'));
  assign('policy', pick('policy'));
  assign('mode', pick('mode'));
  assign('logLevel', pick('log-level'));
  assign('logFile', pick('log-file'));
  assign('host', pick('host'));
  assign('port', pick('port'));
  assign('set', Array.isArray(values.set) ? (values.set as string[]) : undefined);
  return flags;
}
