// Which Node runs Hearth, and what to say when it cannot. `make` (through the package's postinstall)
// records the Node that installed node_modules; a Node that is too old, or a native module that does
// not load in the running Node, becomes one line naming both Nodes and the fix, instead of a
// segfault (better-sqlite3 on Node 20) or a cut-off dlopen error.
//
// The launcher loads this file before anything else, possibly in a Node far older than Hearth
// supports: it imports only Node's own modules and uses no syntax newer than ES2020 (a test checks).
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';

/** The oldest Node Hearth runs on (better-sqlite3 13 needs 22; 22.12 loads ES modules with require). */
export const MIN_NODE = { major: 22, minor: 12 } as const;
export const SUPPORTED_NODE = `Node ${MIN_NODE.major}.${MIN_NODE.minor}+ or 24`;

/** What node_modules/.hearth-runtime.json says about the Node that installed node_modules. */
export interface RuntimeRecord {
  execPath: string;
  version: string;
  /** The native module ABI (process.versions.modules). */
  modules: string;
  platform: string;
  arch: string;
}

/** The Node this process runs in. */
export interface RunningNode {
  execPath: string;
  version: string;
  modules: string;
}

/** A problem that stops Hearth before it starts; `message` is the one line shown to the person. */
export class RuntimeProblem extends Error {
  constructor(line: string) {
    super(line);
    // Set here, not as a class field (ES2022 syntax): this file stays within ES2020, see above.
    this.name = 'RuntimeProblem';
  }
}

export const RECORD_FILE = join('node_modules', '.hearth-runtime.json');

export function runningNode(): RunningNode {
  return { execPath: process.execPath, version: process.versions.node, modules: process.versions.modules };
}

export function isSupportedNode(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > MIN_NODE.major || (major === MIN_NODE.major && minor >= MIN_NODE.minor);
}

/** The record written at install time, or undefined when there is none (or it is unreadable). */
export function readRuntimeRecord(root: string): RuntimeRecord | undefined {
  try {
    const json = JSON.parse(readFileSync(join(root, RECORD_FILE), 'utf8')) as Record<string, unknown>;
    const fields = ['execPath', 'version', 'modules', 'platform', 'arch'] as const;
    if (!fields.every((f) => typeof json[f] === 'string')) return undefined;
    return json as unknown as RuntimeRecord;
  } catch {
    return undefined;
  }
}

/** Whether two paths name the same file (a Node reached through a symlink is the same Node). */
export function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return a === b;
  }
}

/** The recorded Node, when it still exists and is not the one running: the launcher hands over to it. */
export function recordedNodeToUse(record: RuntimeRecord | undefined, running: RunningNode): string | undefined {
  if (!record || !existsSync(record.execPath) || sameFile(record.execPath, running.execPath)) return undefined;
  return record.execPath;
}

/** Node majors by native module ABI, for messages (an addon's error names only the ABI). */
const NODE_BY_ABI: Record<string, string> = { '108': '18', '115': '20', '120': '21', '127': '22', '131': '23', '137': '24', '141': '25' };

function describeAbi(abi: string): string {
  const major = NODE_BY_ABI[abi];
  return major ? `Node ${major} (ABI ${abi})` : `ABI ${abi}`;
}

/** How to fix it where Hearth is: a clone has the Makefile; an installed package is reinstalled. */
function fix(root: string, record: RuntimeRecord | undefined, running: RunningNode): string {
  const other = record && existsSync(record.execPath) && !sameFile(record.execPath, running.execPath) ? record.execPath : undefined;
  const rebuild = existsSync(join(root, 'Makefile'))
    ? `run make in ${root} (it installs node_modules for the Node on your PATH when that is ${MIN_NODE.major}.${MIN_NODE.minor}+, else for a Node 24 it fetches)`
    : isSupportedNode(running.version)
      ? 'reinstall hearth-mcp with this Node (the npm install -g you used before)'
      : 'install Node 24 LTS and reinstall hearth-mcp with it (the npm install -g you used before)';
  return other ? `Fix: ${rebuild}, or run hearth with ${other}.` : `Fix: ${rebuild}.`;
}

function installedWith(record: RuntimeRecord): string {
  return `Node ${record.version} (ABI ${record.modules}, ${record.execPath}${existsSync(record.execPath) ? '' : ', no longer there'})`;
}

/** The one line for a Node too old to run Hearth, or undefined when this Node is new enough. */
export function versionProblem(root: string, running: RunningNode = runningNode()): string | undefined {
  if (isSupportedNode(running.version)) return undefined;
  const record = readRuntimeRecord(root);
  const built = record ? `; node_modules was installed with ${installedWith(record)}` : '';
  return `hearth: Node ${running.version} (${running.execPath}) is too old: Hearth needs ${SUPPORTED_NODE}${built}. ${fix(root, record, running)}`;
}

/** The package a native addon belongs to, from a path in its load error. */
function moduleFromMessage(message: string): string | undefined {
  const matches = [...message.matchAll(/node_modules[\\/]((?:@[^\\/\s'"]+[\\/])?[^\\/\s'"]+)/g)];
  const last = matches[matches.length - 1];
  return last ? last[1]!.replace(/\\/g, '/') : undefined;
}

/** Whether an error is a native addon failing to load (not a bug in Hearth). */
export function isNativeLoadFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    code === 'ERR_DLOPEN_FAILED' ||
    /NODE_MODULE_VERSION|No native build was found|Module did not self-register|\.node: (undefined symbol|invalid ELF header|wrong ELF class)|incompatible architecture/.test(
      error.message,
    )
  );
}

/**
 * The one line for a native module that does not load in this Node: which module, built for which
 * Node (from the error when it names the ABI, else from the record), run with which, and the fix.
 * Undefined when the error is something else.
 */
export function nativeProblem(error: unknown, root: string, module?: string, running: RunningNode = runningNode()): string | undefined {
  if (!isNativeLoadFailure(error)) return undefined;
  const message = (error as Error).message;
  const name = module ?? moduleFromMessage(message) ?? 'a native module';
  const record = readRuntimeRecord(root);
  const compiledFor = /NODE_MODULE_VERSION (\d+)\. This version of Node\.js requires\s+NODE_MODULE_VERSION/.exec(message)?.[1];
  // The record says more (version, path) when it agrees with the error, or when the error names no ABI.
  const built =
    record && (compiledFor === undefined || compiledFor === record.modules)
      ? `it was installed with ${installedWith(record)}`
      : compiledFor
        ? `it was compiled for ${describeAbi(compiledFor)}`
        : 'it was installed with another Node';
  const why = /No native build was found/.test(message) ? ` and has no build for ABI ${running.modules}` : '';
  return `hearth: ${name} does not load in Node ${running.version} (ABI ${running.modules}, ${running.execPath}): ${built}${why}. ${fix(root, record, running)}`;
}
