// How to start a sandbox process. Built (dist) code runs child.js directly. Source (TypeScript)
// checkouts bundle child.ts into one plain .mjs with esbuild first, so the sandbox process runs
// without a TypeScript loader and under the same permission flags as in production.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { HearthError } from '../../../lib/errors.js';

export interface ChildCommand {
  command: string;
  args: string[];
}

function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'node_modules', 'isolated-vm'))) {
    const parent = dirname(dir);
    if (parent === dir)
      throw new HearthError(
        'UNAVAILABLE',
        'isolated-vm is not installed next to the code server',
        'Run `npm install` (or `make build`) in the Hearth folder.',
      );
    dir = parent;
  }
  return dir;
}

async function bundledEntry(source: string, root: string): Promise<string> {
  // esbuild is a development dependency: only source checkouts come here.
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['isolated-vm'],
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const dir = join(root, 'node_modules', '.cache', 'hearth-code');
  const file = join(dir, `sandbox-child-${hash}.mjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, code);
    renameSync(temp, file);
  }
  return file;
}

export async function childCommand(options: { workspacesRoot: string; permissionModel: boolean }): Promise<ChildCommand> {
  const here = fileURLToPath(import.meta.url);
  const root = packageRoot(dirname(here));
  const entry = here.endsWith('.ts') ? await bundledEntry(join(dirname(here), 'child.ts'), root) : join(dirname(here), 'child.js');
  const args = ['--no-node-snapshot', '--max-old-space-size=512'];
  if (options.permissionModel) {
    const flag = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
    // The permission model checks real paths: a node_modules that is a link to another folder
    // (a shared install, a workspace) must be allowed where it really is.
    const modules = realpathSync(join(root, 'node_modules'));
    const linked = modules.startsWith(`${realpathSync(root)}/`) ? [] : [`--allow-fs-read=${modules}`];
    // One flag per path: a comma-separated list is no longer accepted.
    // node-gyp-build (which loads isolated-vm's prebuilt addon) looks for /etc/alpine-release to tell musl from glibc.
    args.push(
      flag,
      '--allow-addons',
      `--allow-fs-read=${root}`,
      ...linked,
      '--allow-fs-read=/etc/alpine-release',
      `--allow-fs-read=${options.workspacesRoot}`,
      `--allow-fs-write=${options.workspacesRoot}`,
      '--disable-warning=ExperimentalWarning',
      '--disable-warning=SecurityWarning',
    );
  }
  args.push(entry);
  return { command: process.execPath, args };
}
