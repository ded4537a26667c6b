// The settings `hearth config <client>` carries into a snippet, so the server a client starts behaves
// like `hearth mcp` run here: the configuration flags given to `hearth config` and the HEARTH_*
// variables exported in this shell. Paths become absolute (a client starts servers in a folder of
// its own choosing). Secrets stay out: a client's config file is no place for them.
import { isAbsolute, resolve } from 'node:path';

export interface CarriedSettings {
  /** Appended to `hearth mcp <server>`. */
  args: string[];
  env: Record<string, string>;
  /** What was carried, for the person: `--mode observe`, `HEARTH_HOME=/data/hearth`. */
  carried: string[];
  /** What was seen and deliberately left out, with why. */
  left: string[];
}

/** Flags that name a file or folder, resolved against the folder `hearth config` ran in. */
const PATH_FLAGS = ['config', 'home', 'policy', 'log-file'] as const;
const VALUE_FLAGS = ['mode', 'log-level'] as const;
const PATH_VARIABLES = new Set(['HEARTH_HOME', 'HEARTH_CONFIG', 'HEARTH_POLICY', 'HEARTH_LOG_FILE', 'HEARTH_CHROMIUM']);
/** Read by `hearth serve` only: a stdio server does not use them. */
const HTTP_VARIABLES = /^HEARTH_HTTP_/;
/** Set by the launcher for its own child; never a setting. */
const INTERNAL_VARIABLES = new Set(['HEARTH_RELAUNCHED']);

export function carriedSettings(values: Record<string, unknown>, env: NodeJS.ProcessEnv, cwd: string): CarriedSettings {
  const out: CarriedSettings = { args: [], env: {}, carried: [], left: [] };
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(cwd, path));
  for (const flag of PATH_FLAGS) {
    const value = values[flag];
    if (typeof value === 'string') out.args.push(`--${flag}`, absolute(value));
  }
  for (const flag of VALUE_FLAGS) {
    const value = values[flag];
    if (typeof value === 'string') out.args.push(`--${flag}`, value);
  }
  for (const pair of Array.isArray(values.set) ? (values.set as string[]) : []) out.args.push('--set', pair);
  for (let i = 0; i < out.args.length; i += 2) out.carried.push(`${out.args[i]} ${out.args[i + 1]}`);
  for (const flag of ['host', 'port'] as const) {
    if (typeof values[flag] === 'string') out.left.push(`--${flag} (it applies to hearth serve; see hearth config http)`);
  }

  for (const [name, value] of Object.entries(env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!name.startsWith('HEARTH_') || value === undefined || value === '' || INTERNAL_VARIABLES.has(name)) continue;
    if (name === 'HEARTH_SECRETS') {
      out.left.push('HEARTH_SECRETS (secret values stay out of a client config file; list them under "secrets" in the config file)');
    } else if (HTTP_VARIABLES.test(name)) {
      out.left.push(`${name} (it applies to hearth serve only)`);
    } else {
      out.env[name] = PATH_VARIABLES.has(name) ? absolute(value) : value;
      out.carried.push(`${name}=${out.env[name]} (from the environment)`);
    }
  }
  // The default data folder follows XDG_DATA_HOME, which a desktop client may not see: pin it.
  if (!env.HEARTH_HOME && values.home === undefined && env.XDG_DATA_HOME && isAbsolute(env.XDG_DATA_HOME)) {
    out.env.HEARTH_HOME = resolve(env.XDG_DATA_HOME, 'hearth');
    out.carried.push(`HEARTH_HOME=${out.env.HEARTH_HOME} (from XDG_DATA_HOME)`);
  }
  return out;
}
