// What the code tools share: the domain objects they are wired to, the session argument, and the
// rendering of a run's outcome as text and as resource links.
import type { ContentBlock } from '@modelcontextprotocol/server';
import * as z from 'zod';

import type { Kernel } from '../../../shared/kernel.js';
import { workspaceLink } from '../resources.js';
import type { FileChanges, Output } from '../sandbox/protocol.js';
import { SCRATCH, type SessionManager } from '../sessions/session-manager.js';
import type { CodeSettings } from '../settings.js';

export interface CodeContext {
  settings: CodeSettings;
  sessions: SessionManager;
  kernel: Kernel;
}

export const SessionArg = z
  .string()
  .min(1)
  .max(40)
  .optional()
  .describe('Session id from code_session_open. Leave out to use a fresh one-shot isolate and the shared "scratch" workspace.');

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
