// web_session_open / _close / _list / _save: isolated browser sessions, and saved logins.
import { existsSync } from 'node:fs';

import type { ResourceLink } from '@modelcontextprotocol/server';
import * as z from 'zod';

import { defineTool, type Tool } from '../../../shared/tool.js';
import { logUri } from '../log-resources.js';
import type { WebRuntime } from '../runtime.js';
import { SAVED_NAME, StorageState, summarize } from '../saved-sessions.js';
import { SessionField } from '../schemas.js';
import type { WebSession } from '../session.js';
import { DEFAULT_SESSION, SESSION_ID } from '../sessions.js';

const TabInfo = z.object({ id: z.string(), url: z.string(), title: z.string(), active: z.boolean() });

const SessionInfo = z.object({
  session: z.string(),
  createdAt: z.string(),
  restoredFrom: z.string().optional(),
  tracing: z.boolean(),
  tabs: z.array(TabInfo),
  log: z.string().describe('Resource URI of the session’s action log.'),
});

async function info(session: WebSession): Promise<z.infer<typeof SessionInfo>> {
  const tabs = await Promise.all(
    [...session.tabs.values()].map(async (t) => ({
      id: t.id,
      url: t.page.url(),
      title: await t.page.title().catch(() => ''),
      active: t.id === session.activeTab,
    })),
  );
  return {
    session: session.id,
    createdAt: session.createdAt.toISOString(),
    ...(session.restoredFrom ? { restoredFrom: session.restoredFrom } : {}),
    tracing: session.tracing,
    tabs,
    log: logUri(session.log.folder, 'actions.jsonl'),
  };
}

function link(uri: string, name: string, mimeType: string, description: string): ResourceLink {
  return { type: 'resource_link', uri, name, mimeType, description };
}

export function sessionTools(runtime: WebRuntime): Tool[] {
  const open = defineTool({
    name: 'web_session_open',
    title: 'Open a browser session',
    description:
      'Opens an isolated browser session (its own cookies, storage and tabs), optionally starting from a saved session (restore) so it is already logged in. Several sessions can be open at once and never see each other’s cookies. Every web tool takes `session`; when omitted they use the "default" session, which opens by itself — so call this only to run sessions side by side, to restore a saved login, or to record a Playwright trace. Returns the session id and where its action log is.',
    effect: 'read',
    input: z.object({
      session: z
        .string()
        .regex(SESSION_ID, 'a session id is 1-32 lower-case letters, digits, dashes or underscores')
        .optional()
        .describe('Id for the new session, e.g. "work". Default: s1, s2, …'),
      restore: z
        .string()
        .regex(SAVED_NAME, 'a saved-session name is 1-64 letters, digits, dots, dashes or underscores')
        .optional()
        .describe('Name of a session saved with web_session_save: its cookies and local storage are loaded.'),
      trace: z
        .boolean()
        .default(false)
        .describe(
          'Record a Playwright trace (screenshots and DOM snapshots of every step), saved in the session log when the session closes.',
        ),
    }),
    output: SessionInfo.extend({ openSessions: z.array(z.string()) }),
    async handler(args) {
      const session = await runtime.sessions.open({ id: args.session, restore: args.restore, trace: args.trace });
      const structured = { ...(await info(session)), openSessions: runtime.sessions.list().map((s) => s.id) };
      const text = `Opened session ${session.id}${args.restore ? ` from the saved session ${args.restore}` : ''}${args.trace ? ' (tracing)' : ''}. Pass session: "${session.id}" to the web tools. Open sessions: ${structured.openSessions.join(', ')}.`;
      return { structured, text };
    },
  });

  const close = defineTool({
    name: 'web_session_close',
    title: 'Close a browser session',
    description:
      'Closes a browser session and its tabs. Its cookies are gone unless it was saved with web_session_save first. Returns links to the session’s action log (each action with a screenshot) and, if it was opened with trace, the Playwright trace.',
    effect: 'read',
    input: z.object({
      session: z
        .string()
        .regex(SESSION_ID, 'a session id is 1-32 lower-case letters, digits, dashes or underscores')
        .default(DEFAULT_SESSION)
        .describe('The session to close. Default: "default".'),
    }),
    output: z.object({
      closed: z.string(),
      actions: z.number().int(),
      screenshots: z.number().int(),
      log: z.string(),
      trace: z.string().optional(),
      openSessions: z.array(z.string()),
    }),
    async handler(args) {
      const { session, trace } = await runtime.sessions.close(args.session);
      const logUriValue = logUri(session.log.folder, 'actions.jsonl');
      const content: ResourceLink[] = [
        link(logUriValue, `${session.log.folder}/actions.jsonl`, 'application/x-ndjson', 'The session’s actions, with screenshot names.'),
      ];
      const traceUri = trace ? logUri(session.log.folder, 'trace.zip') : undefined;
      if (traceUri)
        content.push(
          link(traceUri, `${session.log.folder}/trace.zip`, 'application/zip', 'Playwright trace; open with `npx playwright show-trace`.'),
        );
      const structured = {
        closed: session.id,
        actions: session.log.entries,
        screenshots: session.log.screenshotCount,
        log: logUriValue,
        ...(traceUri ? { trace: traceUri } : {}),
        openSessions: runtime.sessions.list().map((s) => s.id),
      };
      return {
        structured,
        text: `Closed session ${session.id} (${structured.actions} actions logged${traceUri ? ', trace saved' : ''}).`,
        content,
      };
    },
  });

  const list = defineTool({
    name: 'web_session_list',
    title: 'List browser sessions',
    description:
      'Lists the open browser sessions with their tabs (id, URL, title, which is active), and the saved sessions that web_session_open can restore (name, when saved, how many cookies, for which sites).',
    effect: 'read',
    input: z.object({}),
    output: z.object({
      sessions: z.array(SessionInfo),
      saved: z.array(z.object({ name: z.string(), savedAt: z.string(), cookies: z.number().int(), origins: z.array(z.string()) })),
      browserRunning: z.boolean(),
    }),
    async handler() {
      const sessions = await Promise.all(runtime.sessions.list().map(info));
      const saved = runtime.saved.list();
      const lines = [
        sessions.length ? 'Open sessions:' : 'No session is open (the default one opens on first use).',
        ...sessions.map((s) => `- ${s.session}: ${s.tabs.map((t) => `${t.id}${t.active ? '*' : ''} ${t.url}`).join('; ') || 'no tabs'}`),
        saved.length
          ? `Saved sessions: ${saved.map((s) => `${s.name} (${s.cookies} cookies: ${s.origins.join(', ') || '—'})`).join('; ')}`
          : 'No saved sessions.',
      ];
      return { structured: { sessions, saved, browserRunning: runtime.host.running }, text: lines.join('\n') };
    },
  });

  const save = defineTool({
    name: 'web_session_save',
    title: 'Save a browser session',
    description:
      'Saves a session’s cookies and local storage under a name, so a later web_session_open with restore starts logged in. The file is private to the user (mode 0600) and lives in Hearth’s data folder; saving under an existing name replaces it. Use it after logging in to a site the person wants to reuse.',
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
        text: `Saved session ${session.id} as ${args.name} (${saved.cookies} cookies${saved.origins.length ? ` for ${saved.origins.join(', ')}` : ''}). Restore it with web_session_open {"restore": "${args.name}"}.`,
      };
    },
  });

  return [open, close, list, save];
}
