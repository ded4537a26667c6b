// What the code tools share: the session argument, and the rendering of a run's outcome as text and
// as resource links.
import type { ContentBlock } from '@modelcontextprotocol/server';
import * as z from 'zod';

import type { Kernel } from '../../../shared/kernel.js';
import { workspaceLink } from '../resources.js';
import type { FileChanges, Output } from '../sandbox/protocol.js';
import { SCRATCH } from '../sessions/session-manager.js';

export const SessionArg = z
  .string()
  .min(1)
  .max(40)
  .optional()
  .describe('Session id from code_session_open. Leave out to use a fresh one-shot isolate and the shared "scratch" workspace.');

/** A session as code_session_open and code_session_list report it. */
export const SessionOut = z.object({
  id: z.string(),
  memoryMb: z.number(),
  createdAt: z.string(),
  lastUsedAt: z.string(),
  expiresAt: z.string().describe('When the session closes if unused until then (its files are kept).'),
  runs: z.number(),
  resets: z.number().describe('Times the sandbox was replaced after hitting a limit or crashing.'),
  lastReset: z.object({ reason: z.string(), at: z.string() }).optional(),
  busy: z.boolean(),
});

export const FileChangesOut = z.object({
  created: z.array(z.string()),
  modified: z.array(z.string()),
  deleted: z.array(z.string()),
});

export const ErrorInfoOut = z.object({ name: z.string(), message: z.string(), stack: z.string().optional() });

export const OutputOut = {
  stdout: z.string(),
  stderr: z.string(),
  stdoutTruncated: z.boolean(),
  stderrTruncated: z.boolean(),
};

export function workspaceName(session: string | undefined): string {
  return session ?? SCRATCH;
}

const MAX_LINKS = 20;

/** resource_link blocks for files a run created or changed. */
export function changeLinks(workspace: string, files: FileChanges): ContentBlock[] {
  return [...files.created, ...files.modified].slice(0, MAX_LINKS).map((p) => workspaceLink(workspace, p));
}

export function renderOutput(o: Output): string[] {
  const lines: string[] = [];
  if (o.stdout) lines.push('stdout:', o.stdout.trimEnd(), ...(o.stdoutTruncated ? ['… [stdout truncated at the output limit]'] : []));
  if (o.stderr) lines.push('stderr:', o.stderr.trimEnd(), ...(o.stderrTruncated ? ['… [stderr truncated at the output limit]'] : []));
  return lines;
}

export function renderFiles(files: FileChanges): string[] {
  const parts = [
    files.created.length ? `created ${files.created.join(', ')}` : '',
    files.modified.length ? `modified ${files.modified.join(', ')}` : '',
    files.deleted.length ? `deleted ${files.deleted.join(', ')}` : '',
  ].filter(Boolean);
  return parts.length ? [`files: ${parts.join('; ')}`] : [];
}

export function networkNote(kernel: Kernel): string {
  const hosts = kernel.policy.policy.outbound.hosts;
  return hosts.length ? `Network: fetch only to ${hosts.join(', ')} (outbound.hosts).` : 'Network: none (outbound.hosts is empty).';
}
