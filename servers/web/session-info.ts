// How the session tools describe a browser session: its tabs and where its action log is.
import * as z from 'zod';

import { logUri } from './log-resources.js';
import type { WebSession } from './session.js';

const TabInfo = z.object({ id: z.string(), url: z.string(), title: z.string(), active: z.boolean() });

export const SessionInfo = z.object({
  session: z.string(),
  createdAt: z.string(),
  restoredFrom: z.string().optional(),
  tracing: z.boolean(),
  tabs: z.array(TabInfo),
  log: z.string().describe('Resource URI of the session’s action log.'),
});

export async function sessionInfo(session: WebSession): Promise<z.infer<typeof SessionInfo>> {
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
