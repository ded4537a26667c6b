// The sessions of one server process: open several at once, find one by id (the `default` session
// opens itself on first use), close one or all. Each holds its own browser context on the one
// shared browser.
import { join } from 'node:path';

import type { Logger } from 'pino';

import { HearthError, invalidArgument } from '../../lib/errors.js';
import type { BrowserHost } from './browser-host.js';
import type { SavedSessions } from './saved-sessions.js';
import { WebSession } from './session.js';
import type { WebSettings } from './settings.js';
import type { OriginPolicy } from './url-policy.js';

export const DEFAULT_SESSION = 'default';
export const SESSION_ID = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export interface OpenOptions {
  id?: string | undefined;
  restore?: string | undefined;
  trace?: boolean | undefined;
}

export class SessionManager {
  private readonly sessions = new Map<string, WebSession>();
  private readonly opening = new Map<string, Promise<WebSession>>();
  private counter = 0;
  private closed = false;

  constructor(
    private readonly deps: {
      host: BrowserHost;
      settings: WebSettings;
      policy: OriginPolicy;
      saved: SavedSessions;
      log: Logger;
      /** <home>/web */
      root: string;
    },
  ) {
    deps.host.whenDisconnected(() => {
      for (const session of this.sessions.values()) void session.close().catch(() => undefined);
      this.sessions.clear();
    });
  }

  get logsDir(): string {
    return join(this.deps.root, 'logs');
  }

  async open(options: OpenOptions = {}): Promise<WebSession> {
    if (this.closed) throw new HearthError('UNAVAILABLE', 'the web server is shutting down', 'Reconnect and try again.');
    const id = options.id ?? this.nextId();
    if (!SESSION_ID.test(id))
      throw invalidArgument(
        'session',
        `${JSON.stringify(id)} is not a valid session id`,
        'Use 1-32 lower-case letters, digits, dashes or underscores.',
      );
    if (this.sessions.has(id) || this.opening.has(id)) {
      throw new HearthError(
        'ALREADY_EXISTS',
        `session: a session named ${id} is already open`,
        'Use it as it is, close it first with web_session_close, or pick another name.',
        { details: { field: 'session' } },
      );
    }
    if (this.sessions.size + this.opening.size >= this.deps.settings.maxSessions) {
      throw new HearthError(
        'LIMIT_EXCEEDED',
        `${this.sessions.size} sessions are open; the limit is ${this.deps.settings.maxSessions}`,
        'Close a session you no longer need with web_session_close.',
      );
    }
    const storageState = options.restore ? this.deps.saved.load(options.restore) : undefined;
    const pending = (async () => {
      const browser = await this.deps.host.browser();
      return WebSession.open(
        { id, restoredFrom: options.restore, storageState, trace: options.trace },
        {
          browser,
          settings: this.deps.settings,
          policy: this.deps.policy,
          log: this.deps.log.child({ session: id }),
          root: this.deps.root,
        },
      );
    })();
    this.opening.set(id, pending);
    try {
      const session = await pending;
      if (this.closed) {
        await session.close();
        throw new HearthError('UNAVAILABLE', 'the web server is shutting down', 'Reconnect and try again.');
      }
      this.sessions.set(id, session);
      return session;
    } finally {
      this.opening.delete(id);
    }
  }

  private nextId(): string {
    let id: string;
    do id = `s${++this.counter}`;
    while (this.sessions.has(id) || this.opening.has(id));
    return id;
  }

  /** The named session; the default one is opened on first use. */
  async acquire(id: string | undefined, field = 'session'): Promise<WebSession> {
    const want = id ?? DEFAULT_SESSION;
    const open = this.sessions.get(want);
    if (open && !open.isClosed) return open;
    const inFlight = this.opening.get(want);
    if (inFlight) return inFlight;
    if (want === DEFAULT_SESSION) return this.open({ id: DEFAULT_SESSION });
    throw this.notFound(want, field);
  }

  /** The named session if it is open; never opens one. */
  find(id: string | undefined): WebSession | undefined {
    const session = this.sessions.get(id ?? DEFAULT_SESSION);
    return session && !session.isClosed ? session : undefined;
  }

  notFound(id: string, field = 'session'): HearthError {
    const open = [...this.sessions.keys()];
    return new HearthError(
      'NOT_FOUND',
      `${field}: there is no open session named ${id}`,
      open.length
        ? `Open sessions: ${open.join(', ')}. Open a new one with web_session_open.`
        : 'Open one with web_session_open, or omit session to use the default one.',
      {
        details: { field },
      },
    );
  }

  list(): WebSession[] {
    return [...this.sessions.values()].filter((s) => !s.isClosed);
  }

  async close(id: string, field = 'session'): Promise<{ session: WebSession; trace?: string }> {
    const session = this.sessions.get(id);
    if (!session) throw this.notFound(id, field);
    this.sessions.delete(id);
    const result = await session.run(() => session.close());
    return { session, ...result };
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.opening.values()]);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.allSettled(all.map((s) => s.close()));
  }
}
