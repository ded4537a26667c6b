// `hearth policy init|show|check`: write the default policy file, show the one in force, check a file.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { HearthError } from '../../lib/errors.js';
import { ensureDir } from '../../lib/home.js';
import { defaultPolicyText, loadPolicy } from '../../policies/load.js';
import { loadConfig } from '../../shared/config.js';
import type { Command } from '../cli-io.js';
import { CONFIG_HELP, configFlags, parseCommand } from '../config-flags.js';

export const USAGE = `hearth policy init [--force]   write the default policy to <home>/policy.json
hearth policy show             print the policy in force and where it comes from
hearth policy check <file>     validate a policy file (exit 78 naming the field when it is wrong)

${CONFIG_HELP}`;

export const policy: Command = async (args, io) => {
  const { values, positionals } = parseCommand(args, { force: { type: 'boolean' }, help: { type: 'boolean' } }, USAGE);
  const [action, file] = positionals;
  if (values.help || !action) {
    io.out(USAGE);
    return values.help ? 0 : 2;
  }
  const { config } = loadConfig(configFlags(values), io.env);
  switch (action) {
    case 'init': {
      const target = join(config.home, 'policy.json');
      if (existsSync(target) && !values.force)
        throw new HearthError('ALREADY_EXISTS', `${target} already exists`, 'Edit it, or pass --force to replace it with the default.');
      ensureDir(config.home);
      writeFileSync(target, defaultPolicyText(), { mode: 0o600 });
      io.out(`wrote ${target}`);
      return 0;
    }
    case 'show': {
      const loaded = loadPolicy(config.policyFile, config.home);
      io.err(`policy from ${loaded.source}${config.mode ? ` (mode overridden to ${config.mode} for this process)` : ''}`);
      io.out(JSON.stringify(loaded.policy, null, 2));
      return 0;
    }
    case 'check': {
      if (!file) throw new HearthError('INVALID_ARGUMENT', 'check needs a file', 'hearth policy check ./policy.json');
      loadPolicy(file, config.home);
      io.out(`${file}: valid`);
      return 0;
    }
    default:
      throw new HearthError('INVALID_ARGUMENT', `unknown action ${action}`, 'Use init, show or check.');
  }
};
