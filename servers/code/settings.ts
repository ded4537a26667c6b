// The code server's settings (`servers.code.*` in the config): every limit a call may narrow but
// never widen, plus session, workspace and network caps. The zod schema is the single source of
// defaults, validation and the documentation of each setting.
import * as z from 'zod';

import type { HearthConfig } from '../../shared/config.js';
import { serverSection } from '../../shared/config.js';

const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const CodeSettings = z
  .object({
    wallMs: int(50, 600_000).default(10_000).describe('Wall-clock time a run may take, in ms (default and maximum per call).'),
    cpuMs: int(50, 600_000).default(10_000).describe('CPU time a run may use, in ms (default and maximum per call).'),
    memoryMb: int(8, 4096).default(128).describe('Heap cap of one isolate, in MB (default and maximum per session or one-shot run).'),
    outputChars: int(1_000, 10_000_000)
      .default(64_000)
      .describe('Characters of stdout and of stderr kept per run; the rest is dropped and reported.'),
    resultChars: int(200, 10_000_000).default(20_000).describe('Characters of the serialized value of the last expression.'),
    maxCodeChars: int(100, 10_000_000).default(500_000).describe('Longest source accepted by code_run and code_test.'),
    testMs: int(50, 600_000).default(5_000).describe('Time one test of code_test may take, in ms (default and maximum).'),
    maxTests: int(1, 10_000).default(200).describe('Most tests in one code_test call.'),
    maxSessions: int(1, 64).default(8).describe('Sessions open at once; each runs in its own sandbox process.'),
    idleMinutes: z.number().min(0.05).max(10_080).default(30).describe('A session unused this long is closed (its files are kept).'),
    maxFileBytes: int(1024, 1 << 30)
      .default(10 * 1024 * 1024)
      .describe('Largest file a workspace accepts.'),
    maxWorkspaceBytes: int(1024, 1 << 40)
      .default(200 * 1024 * 1024)
      .describe('Total size of one workspace.'),
    maxWorkspaceFiles: int(1, 1_000_000).default(5_000).describe('Files in one workspace.'),
    readChars: int(1_000, 10_000_000)
      .default(100_000)
      .describe('Characters (or base64 characters) code_files_read returns per call; page with offset.'),
    fetchTimeoutMs: int(100, 600_000).default(10_000).describe('Time one fetch from the sandbox may take, redirects included.'),
    fetchMaxBytes: int(1024, 1 << 30)
      .default(5 * 1024 * 1024)
      .describe('Largest response body a fetch returns.'),
    fetchMaxRedirects: int(0, 20).default(5).describe('Redirects a fetch follows; every hop is checked against outbound.hosts.'),
    fetchMaxRequests: int(0, 10_000).default(50).describe('Fetches one run may make.'),
    packageMaxBytes: int(1024, 1 << 31)
      .default(50 * 1024 * 1024)
      .describe('Largest total input of code_package.'),
    permissionModel: z
      .boolean()
      .default(true)
      .describe('Run sandbox processes under the Node permission model (file writes only in workspaces, no child processes).'),
  })
  .strict();

export type CodeSettings = z.infer<typeof CodeSettings>;

export function codeSettings(config: HearthConfig): CodeSettings {
  return serverSection(config, 'code', CodeSettings);
}
