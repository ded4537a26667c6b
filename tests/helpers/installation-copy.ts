// A copy of this installation in a temp folder (bin/, dist/, package.json, and node_modules linked
// package by package), whose install record and native modules a test may change without touching
// the shared node_modules: a Node that installed it and is gone, an isolated-vm built for another
// Node.
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { RuntimeRecord } from '../../orchestrator/runtime.js';
import { REPO } from './mcp-client.js';

export interface InstallationCopy {
  root: string;
  bin: string;
  cli: string;
  cleanup(): void;
}

export interface CopyOptions {
  record: RuntimeRecord;
  /** A clone has a Makefile (the fix is `make`); an installed package has none. */
  clone: boolean;
  /** Replace isolated-vm by a build for this ABI only, placed where a build from source goes. */
  isolatedVmFor?: string;
}

/** isolated-vm's prebuilt addon for an ABI, or undefined when the package has none for this platform. */
function isolatedVmPrebuild(abi: string): string | undefined {
  const dir = join(REPO, 'node_modules', 'isolated-vm', 'prebuilds', `${process.platform}-${process.arch}`);
  if (!existsSync(dir)) return undefined;
  const name = readdirSync(dir).find((f) => f.startsWith(`isolated-vm.abi${abi}.`) && !f.includes('musl'));
  return name ? join(dir, name) : undefined;
}

export function copyInstallation(options: CopyOptions): InstallationCopy {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'hearth-install-')));
  cpSync(join(REPO, 'bin'), join(root, 'bin'), { recursive: true });
  cpSync(join(REPO, 'dist'), join(root, 'dist'), { recursive: true });
  copyFileSync(join(REPO, 'package.json'), join(root, 'package.json'));
  if (options.clone) copyFileSync(join(REPO, 'Makefile'), join(root, 'Makefile'));
  const modules = join(root, 'node_modules');
  mkdirSync(modules);
  const shared = realpathSync(join(REPO, 'node_modules'));
  for (const name of readdirSync(shared)) {
    if (name.startsWith('.') || (options.isolatedVmFor && name === 'isolated-vm')) continue;
    symlinkSync(join(shared, name), join(modules, name));
  }
  writeFileSync(join(modules, '.hearth-runtime.json'), JSON.stringify(options.record));
  if (options.isolatedVmFor) {
    const ivm = join(modules, 'isolated-vm');
    mkdirSync(join(ivm, 'build', 'Release'), { recursive: true });
    for (const file of ['package.json', 'isolated-vm.js']) copyFileSync(join(shared, 'isolated-vm', file), join(ivm, file));
    const addon = join(ivm, 'build', 'Release', 'isolated_vm.node');
    const prebuild = isolatedVmPrebuild(options.isolatedVmFor);
    // Without a prebuild for that ABI here, an addon that is not a library fails to load just the same.
    if (prebuild) copyFileSync(prebuild, addon);
    else writeFileSync(addon, 'not a shared library');
  }
  return {
    root,
    bin: join(root, 'bin', 'hearth.js'),
    cli: join(root, 'dist', 'orchestrator', 'cli.js'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
