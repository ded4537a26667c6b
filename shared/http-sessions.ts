// Sessions for 2025-era clients over Streamable HTTP. The 2025 protocol sends a server's own
// requests (elicitation: "approve this call?") and its notifications (a subscribed resource
// changed) down a session's streams, which stateless serving has none of. A 2025 client that
// initializes gets a session; its later requests carry the Mcp-Session-Id header and reach the same
// protocol instance. A request without a session (a hand-made POST, a client that never
// initializes) is still answered statelessly by the caller, as before.
//
// A session belongs to the credential that opened it: another credential presenting its id is told
// the session does not exist, exactly as for an id never issued. Sessions idle longer than the idle
// limit are closed, and past the cap the least recently used one is closed to make room.
import { randomUUID } from 'node:crypto';

import { type AuthInfo, type Server, WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';

export interface SessionLimits {
  /** Sessions kept open per server at most; a new one past this closes the least recently used. */
  max: number;
  /** A session with no request for this long is closed. */
  idleMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { max: 64, idleMs: 30 * 60_000 };

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  server: Server;
  owner: string;
  lastUsed: number;
}

const SESSION_HEADER = 'mcp-session-id';

function notFound(id: string): Response {
  return Response.json(
    {
      jsonrpc: '2.0',
      id: null,
      error: { code: -32001, message: `session ${id.slice(0, 80)} not found`, data: { hint: 'Initialize again to open a new session.' } },
    },
    { status: 404 },
  );
}

export class HttpSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly limits: SessionLimits;
  private readonly now: () => number;

  constructor(
    /** A protocol instance for one session; it is connected to the session's transport here. */
    private readonly open: () => Server,
    private readonly options: { maxRequestBodySize: number; limits?: SessionLimits; now?: () => number },
  ) {
    this.limits = options.limits ?? DEFAULT_SESSION_LIMITS;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.sessions.size;
  }

  /**
   * Whether a 2025-era request is for a session: it names one, or it opens one (initialize). The
   * body is the request's parsed JSON, if any.
   */
  static wants(request: Request, body: unknown): boolean {
    if (request.headers.has(SESSION_HEADER)) return true;
    return request.method === 'POST' && isInitialize(body);
  }

  async handle(request: Request, auth: AuthInfo | undefined, parsedBody: unknown): Promise<Response> {
    this.closeIdle();
    const owner = auth?.clientId ?? 'anonymous';
    const id = request.headers.get(SESSION_HEADER);
    const options = { ...(auth ? { authInfo: auth } : {}), ...(parsedBody !== undefined ? { parsedBody } : {}) };
    if (id !== null) {
      const session = this.sessions.get(id);
      // Another credential's session is answered like one that does not exist: no id is confirmed.
      if (!session || session.owner !== owner) return notFound(id);
      session.lastUsed = this.now();
      return session.transport.handleRequest(request, options);
    }
    return this.start(request, owner, options);
  }

  private async start(request: Request, owner: string, options: { authInfo?: AuthInfo; parsedBody?: unknown }): Promise<Response> {
    while (this.sessions.size >= this.limits.max) {
      const oldest = [...this.sessions.entries()].reduce((a, b) => (b[1].lastUsed < a[1].lastUsed ? b : a));
      await this.end(oldest[0]);
    }
    const server = this.open();
    let session: Session | undefined;
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      maxRequestBodySize: this.options.maxRequestBodySize,
      onsessioninitialized: (id) => {
        session = { transport, server, owner, lastUsed: this.now() };
        this.sessions.set(id, session);
      },
      onsessionclosed: (id) => {
        this.sessions.delete(id);
      },
    });
    await server.connect(transport);
    const response = await transport.handleRequest(request, options);
    // An initialize that failed opened no session: release what was made for it.
    if (!session) await server.close();
    return response;
  }

  private closeIdle(): void {
    const cutoff = this.now() - this.limits.idleMs;
    for (const [id, session] of this.sessions) if (session.lastUsed < cutoff) void this.end(id);
  }

  private async end(id: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    await session.server.close();
  }

  async close(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.end(id)));
  }
}

function isInitialize(body: unknown): boolean {
  const messages = Array.isArray(body) ? body : [body];
  return messages.some((m) => typeof m === 'object' && m !== null && (m as { method?: unknown }).method === 'initialize');
}
