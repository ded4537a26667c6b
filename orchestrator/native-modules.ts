// The native modules a server needs, loaded once at start so that one built for another Node stops
// `hearth mcp` / `hearth serve` with one clear line, before any client sees a half-started server.
import { createRequire } from 'node:module';

import { packageInfo } from '../shared/package-info.js';
import { nativeProblem, RuntimeProblem } from './runtime.js';

const require = createRequire(import.meta.url);

export const NATIVE_MODULES = ['better-sqlite3', 'isolated-vm'] as const;
export type NativeModule = (typeof NATIVE_MODULES)[number];

/** Loads the module's addon. better-sqlite3 loads its addon only when a database is opened. */
function load(module: NativeModule): void {
  if (module === 'better-sqlite3') {
    const Database = require('better-sqlite3') as new (file: string) => { close(): void };
    new Database(':memory:').close();
  } else {
    require('isolated-vm');
  }
}

/** Every server keeps its state in SQLite; the code server also runs V8 isolates. */
export function nativeModulesFor(servers: readonly string[]): NativeModule[] {
  return servers.includes('code') ? ['better-sqlite3', 'isolated-vm'] : ['better-sqlite3'];
}

/** Loads each module; throws a RuntimeProblem with the one line when one does not load here. */
export function requireNativeModules(modules: readonly NativeModule[]): void {
  for (const module of modules) {
    try {
      load(module);
    } catch (error) {
      const line = nativeProblem(error, packageInfo().root, module);
      if (line) throw new RuntimeProblem(line);
      throw error;
    }
  }
}

/** For `hearth doctor`: undefined when the module loads, else the line saying why not. */
export function nativeModuleProblem(module: NativeModule): string | undefined {
  try {
    requireNativeModules([module]);
    return undefined;
  } catch (error) {
    return error instanceof RuntimeProblem ? error.message : (error as Error).message.split('\n')[0]!;
  }
}
