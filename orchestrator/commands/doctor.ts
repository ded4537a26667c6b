// `hearth doctor`: checks Node, the native modules, Chromium, Ollama, the data directory and the
// configuration, and says how to fix each failure. It only looks: nothing is created or changed.
import { loadConfig } from '../../shared/config.js';
import { packageInfo } from '../../shared/package-info.js';
import type { Command } from '../cli-io.js';
import { CONFIG_HELP, configFlags, parseCommand } from '../config-flags.js';
import {
  checkArgon2,
  checkChromium,
  checkDataDir,
  checkIsolatedVm,
  checkNode,
  checkOllama,
  checkPolicy,
  type CheckResult,
  checkRuntimeRecord,
  checkSqlite,
} from '../doctor-checks.js';

export const USAGE = `hearth doctor [--no-launch] [--json] [config flags]

Checks what Hearth needs and says how to fix what is missing. Exits 1 when a required check fails
(warnings, such as Ollama not running, do not fail). --no-launch skips starting Chromium. It changes
nothing: the data directory is not created, no database is opened on disk.

${CONFIG_HELP}`;

const MARK = { ok: '✓', warn: '!', fail: '✗' } as const;

export const doctor: Command = async (args, io) => {
  const { values } = parseCommand(args, { 'no-launch': { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean' } }, USAGE);
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  const { root, version } = packageInfo();
  const results: CheckResult[] = [
    { name: 'hearth', status: 'ok', detail: `hearth ${version} in ${root}` },
    checkNode(root),
    checkRuntimeRecord(root),
    ...checkSqlite(),
    checkIsolatedVm(),
    checkArgon2(),
  ];
  let configOk = true;
  try {
    const { config, file } = loadConfig(configFlags(values), io.env);
    results.push({ name: 'configuration', status: 'ok', detail: file ? `from ${file}` : 'built-in defaults (no config file)' });
    results.push(checkDataDir(config), checkPolicy(config));
    const webSetting = config.servers.web?.executablePath;
    results.push(await checkChromium(typeof webSetting === 'string' ? webSetting : undefined, io.env, !values['no-launch']));
  } catch (error) {
    configOk = false;
    results.push({ name: 'configuration', status: 'fail', detail: (error as Error).message, fix: 'Fix the named setting.' });
  }
  results.push(await checkOllama(io.env));
  if (values.json) io.out(JSON.stringify(results, null, 2));
  else {
    const width = Math.max(...results.map((r) => r.name.length));
    for (const r of results) {
      io.out(`${MARK[r.status]} ${r.name.padEnd(width)}  ${r.detail}`);
      if (r.fix && r.status !== 'ok') io.out(`  ${' '.repeat(width)}  → ${r.fix}`);
    }
  }
  return configOk && results.every((r) => r.status !== 'fail') ? 0 : 1;
};
