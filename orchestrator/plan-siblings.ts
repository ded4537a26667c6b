// The servers the plan server reaches: the suite's own, started the way `hearth mcp <name>` starts
// them (same Node, same data directory, config and policy), under anything the person configured in
// servers.plan.servers (which wins). The plan server itself never imports the registry: it is told.
import { join } from 'node:path';

import type { HearthConfig } from '../shared/config.js';
import { packageInfo } from '../shared/package-info.js';
import { serverNames } from './registry.js';

export function withSuiteSiblings(config: HearthConfig, configFile: string | undefined): HearthConfig {
  const bin = join(packageInfo().root, 'bin', 'hearth.js');
  const flags = [
    '--home',
    config.home,
    ...(configFile ? ['--config', configFile] : []),
    ...(config.policyFile ? ['--policy', config.policyFile] : []),
    ...(config.mode ? ['--mode', config.mode] : []),
  ];
  const suite = Object.fromEntries(
    serverNames()
      .filter((name) => name !== 'plan')
      .map((name) => [name, { command: process.execPath, args: ['--no-node-snapshot', bin, 'mcp', name, ...flags] }]),
  );
  const section = config.servers.plan ?? {};
  const given = (section.servers ?? {}) as Record<string, unknown>;
  return { ...config, servers: { ...config.servers, plan: { ...section, servers: { ...suite, ...given } } } };
}
