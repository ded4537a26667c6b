// web_session_save: saves a session's cookies and local storage under a name, to restore later.
import { existsSync } from 'node:fs';

import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import type { WebRuntime } from '../runtime.js';
import { SAVED_NAME, StorageState, summarize } from '../saved-sessions.js';
import { SessionField } from '../schemas.js';
import { DEFAULT_SESSION } from '../sessions.js';

export function sessionSaveTool(runtime: WebRuntime): Tool {
  return defineTool({
    name: 'web_session_save',
    title: 'Save a browser session',
    description:
      'Saves a session’s cookies and local storage under a name (private file; replaces one of the same name), so web_session_open with restore starts logged in. Use after logging in.',
    effect: 'write',
    idempotent: true,
    input: z.object({
      session: SessionField,
      name: z
        .string()
        .regex(SAVED_NAME, 'a saved-session name is 1-64 letters, digits, dots, dashes or underscores')
        .describe('Name to save under, e.g. "jobs-portal".'),
    }),
    output: z.object({
      name: z.string(),
      path: z.string(),
      cookies: z.number().int(),
      origins: z.array(z.string()),
      replaced: z.boolean(),
    }),
    async preview(args) {
      const path = runtime.saved.file(args.name);
      const replaced = existsSync(path);
      const session = runtime.sessions.find(args.session);
      if (!session) {
        return {
          summary: `Save session ${args.session ?? DEFAULT_SESSION} as ${args.name}`,
          changes: [{ kind: 'note', text: `The session ${args.session ?? DEFAULT_SESSION} is not open, so there is nothing to save yet.` }],
        };
      }
      const state = StorageState.parse(await session.context.storageState());
      const { cookies, origins } = summarize(state);
      return {
        summary: `Save session ${session.id} as ${args.name}: ${cookies} cookies${origins.length ? ` for ${origins.join(', ')}` : ''}`,
        changes: [{ kind: 'file', path, action: replaced ? 'modify' : 'create' }],
      };
    },
    async handler(args) {
      const session = await runtime.sessions.acquire(args.session);
      const state = StorageState.parse(await session.run(() => session.context.storageState()));
      const replaced = runtime.saved.exists(args.name);
      const saved = runtime.saved.save(args.name, state);
      return {
        structured: { name: args.name, ...saved, replaced },
        text:
          `Saved session ${session.id} as ${args.name} (${saved.cookies} cookies${saved.origins.length ? ` for ${saved.origins.join(', ')}` : ''}). ` +
          `Restore it with web_session_open {"restore": "${args.name}"}.`,
      };
    },
  });
}
