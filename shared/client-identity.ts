// Who is calling, from the request context: the client's id (the HTTP credential, or the transport),
// its name, and whether it can ask its person mid-call — which decides how draft mode asks.
import { CLIENT_CAPABILITIES_META_KEY, CLIENT_INFO_META_KEY, type ServerContext } from '@modelcontextprotocol/server';

import type { ClientIdentity } from './tool.js';

/**
 * `legacy` is what a 2025-era connection declared at initialize; `connected`: the connection carries
 * the server's own requests (stdio, an HTTP session), which a 2025 client's elicitation needs.
 */
export function identify(
  ctx: ServerContext,
  transport: ClientIdentity['transport'],
  legacy: { name?: string | undefined; capabilities?: { elicitation?: unknown } | undefined },
  connected: boolean,
): ClientIdentity {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const info = envelope?.[CLIENT_INFO_META_KEY] as { name?: string } | undefined;
  const modernCaps = envelope?.[CLIENT_CAPABILITIES_META_KEY] as { elicitation?: unknown } | undefined;
  // A 2025-era connection asks through a request pushed over the connection, which a stateless
  // HTTP request cannot carry back; stdio and an HTTP session can. A 2026 client answers
  // input_required itself.
  const canElicit = modernCaps ? modernCaps.elicitation !== undefined : connected && legacy.capabilities?.elicitation !== undefined;
  const name = info?.name ?? legacy.name;
  const id = ctx.http?.authInfo?.clientId ?? transport;
  return name === undefined ? { id, transport, canElicit } : { id, name, transport, canElicit };
}
