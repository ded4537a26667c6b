// Layered configuration: built-in defaults < config file < HEARTH_* environment < command-line
// flags. Layers merge so an undefined value never overrides; paths in a config file resolve
// against that file's folder; a bad value stops start-up with the source, the field and the problem.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

import * as z from 'zod';

import { HearthError } from '../lib/errors.js';
import { defaultHome } from '../lib/home.js';
import { formatIssues } from '../lib/zod-issues.js';
import { Mode } from '../policies/modes.js';

const HttpConfig = z
  .object({
    host: z.string().default('127.0.0.1').describe('Interface to bind. Keep 127.0.0.1 unless you know why.'),
    port: z.number().int().min(0).max(65535).default(8765),
    token: z.string().min(16, 'a bearer token must be at least 16 characters').optional().describe('Bearer token clients must send.'),
    passphraseHash: z.string().startsWith('$argon2id$', 'must be an argon2id hash made by `hearth passphrase`').optional(),
    allowedHosts: z.array(z.string()).default([]).describe('Extra Host header names accepted besides localhost.'),
    allowedOrigins: z.array(z.string()).default([]).describe('Extra Origin host names accepted besides localhost.'),
    rateLimit: z
      .object({
        requestsPerMinute: z.number().int().positive().default(600),
        burst: z.number().int().positive().default(60),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export const HearthConfig = z
  .object({
    home: z.string().describe('Data directory: databases, artifacts, logs, approvals.'),
    policyFile: z.string().optional().describe('Policy file; default <home>/policy.json when present, else the built-in default policy.'),
    mode: Mode.optional().describe('Overrides the policy mode for this process.'),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
        file: z.string().optional().describe('Log file; default stderr.'),
      })
      .strict()
      .prefault({}),
    secrets: z.array(z.string()).default([]).describe('Values that must never appear in output, logs or the audit.'),
    http: HttpConfig.prefault({}),
    servers: z.record(z.string(), z.record(z.string(), z.unknown())).default({}).describe('Per-server settings, validated by each server.'),
  })
  .strict();

export type HearthConfig = z.infer<typeof HearthConfig>;
type Layer = Record<string, unknown>;

/** Values set on the command line, already split into dotted keys. */
export interface ConfigFlags {
  config?: string;
  home?: string;
  policy?: string;
  mode?: string;
  logLevel?: string;
  logFile?: string;
  host?: string;
  port?: string;
  /** `--set a.b.c=value` pairs. */
  set?: string[];
}

function setPath(target: Layer, path: readonly string[], value: unknown): void {
  let node = target;
  path.slice(0, -1).forEach((key) => {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Layer;
  });
  node[path[path.length - 1]!] = value;
}

function merge(base: Layer, over: Layer): Layer {
  const out: Layer = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === undefined) continue;
    const prev = out[key];
    out[key] = isPlainObject(prev) && isPlainObject(value) ? merge(prev, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Layer {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A scalar from env or `--set`: JSON when it parses (numbers, booleans, arrays), else the string. */
function parseScalar(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function list(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function num(raw: string | undefined): unknown {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && raw.trim() !== '' ? n : raw;
}

/** HEARTH_* variables into the config shape. `HEARTH__a__b=v` sets any nested key. */
function envLayer(env: NodeJS.ProcessEnv): Layer {
  const layer: Layer = {
    home: env.HEARTH_HOME,
    policyFile: env.HEARTH_POLICY,
    mode: env.HEARTH_MODE,
    log: { level: env.HEARTH_LOG_LEVEL, file: env.HEARTH_LOG_FILE },
    secrets: list(env.HEARTH_SECRETS),
    http: { host: env.HEARTH_HTTP_HOST, port: num(env.HEARTH_HTTP_PORT), token: env.HEARTH_HTTP_TOKEN },
  };
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith('HEARTH__') || value === undefined) continue;
    setPath(layer, key.slice('HEARTH__'.length).split('__'), parseScalar(value));
  }
  return layer;
}

function flagLayer(flags: ConfigFlags): Layer {
  const layer: Layer = {
    home: flags.home === undefined ? undefined : resolve(flags.home),
    policyFile: flags.policy === undefined ? undefined : resolve(flags.policy),
    mode: flags.mode,
    log: { level: flags.logLevel, file: flags.logFile },
    http: { host: flags.host, port: num(flags.port) },
  };
  for (const pair of flags.set ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0)
      throw new HearthError('CONFIG_INVALID', `--set ${pair}: expected key=value`, 'Write it as --set servers.memory.chunkSize=800.');
    setPath(layer, pair.slice(0, eq).split('.'), parseScalar(pair.slice(eq + 1)));
  }
  return layer;
}

// Config-file keys that hold paths, resolved against the file's folder.
const PATH_KEYS: readonly (readonly string[])[] = [['home'], ['policyFile'], ['log', 'file']];

function fileLayer(file: string): Layer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new HearthError(
      'CONFIG_INVALID',
      `config file ${file}: not valid JSON (${(error as Error).message})`,
      'Fix the JSON syntax in that file.',
    );
  }
  if (!isPlainObject(parsed))
    throw new HearthError(
      'CONFIG_INVALID',
      `config file ${file}: the top level must be a JSON object`,
      'Write the settings as { "key": value }.',
    );
  const layer: Layer = structuredClone(parsed);
  for (const path of PATH_KEYS) {
    let node: unknown = layer;
    for (const key of path.slice(0, -1)) node = isPlainObject(node) ? node[key] : undefined;
    const last = path[path.length - 1]!;
    if (isPlainObject(node) && typeof node[last] === 'string' && !isAbsolute(node[last])) node[last] = resolve(dirname(file), node[last]);
  }
  return layer;
}

export interface LoadedConfig {
  config: HearthConfig;
  /** The config file that was read, if any. */
  file: string | undefined;
}

/** Resolves the layered configuration. Throws CONFIG_INVALID naming the source and field. */
export function loadConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const fromEnv = envLayer(env);
  const fromFlags = flagLayer(flags);
  const home = (fromFlags.home as string | undefined) ?? (fromEnv.home ? resolve(fromEnv.home as string) : undefined) ?? defaultHome(env);
  const explicit = flags.config ?? env.HEARTH_CONFIG;
  const file = explicit ? resolve(explicit) : existsSync(join(home, 'config.json')) ? join(home, 'config.json') : undefined;
  if (explicit && !existsSync(resolve(explicit))) {
    throw new HearthError(
      'CONFIG_INVALID',
      `config file ${resolve(explicit)}: does not exist`,
      'Check the --config flag or HEARTH_CONFIG.',
    );
  }
  const layers: { source: string; layer: Layer }[] = [
    { source: 'defaults', layer: { home } },
    ...(file ? [{ source: `config file ${file}`, layer: fileLayer(file) }] : []),
    { source: 'environment (HEARTH_*)', layer: fromEnv },
    { source: 'command-line flags', layer: fromFlags },
  ];
  let merged: Layer = {};
  for (const { source, layer } of layers) {
    merged = merge(merged, layer);
    // Validate after each layer so the message names the layer that introduced the problem.
    const partial = HearthConfig.safeParse(merged);
    if (!partial.success)
      throw new HearthError(
        'CONFIG_INVALID',
        formatIssues(source, partial.error),
        'Fix or remove that setting; `hearth doctor` shows the resolved configuration.',
      );
  }
  const config = HearthConfig.parse(merged);
  config.home = resolve(config.home);
  return { config, file };
}

/** The config slice a server owns, validated by that server's schema. */
export function serverSection<T extends z.ZodType>(config: HearthConfig, server: string, schema: T): z.output<T> {
  const parsed = schema.safeParse(config.servers[server] ?? {});
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `configuration: ${['servers', server, ...issue.path].join('.')}: ${issue.message}`);
    throw new HearthError('CONFIG_INVALID', lines.join('\n'), 'Fix or remove that setting.');
  }
  return parsed.data;
}
