// Streamable HTTP for every server at /mcp/<server>. In front of the SDK's per-request handler, in
// this order: Host and Origin validation (DNS rebinding, 403), rate limiting per client (429 with
// Retry-After), authentication (401, or 429 for too many failures: shared/http-auth.ts). Binds to
// 127.0.0.1 unless configured otherwise. The 2026-07-28 protocol and session-less 2025 requests are
// served per request; a 2025 client that initializes gets a session (shared/http-sessions.ts).
import { createServer, type IncomingMessage, type Server as NodeServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { hostHeaderValidation, type NodeMcpRequestHandler, originValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, isLegacyRequest, type McpHandlerRequestOptions } from '@modelcontextprotocol/server';

import { describeError } from '../lib/errors.js';
import { RateLimiter } from '../lib/rate-limit.js';
import type { HearthConfig } from './config.js';
import { HttpAuthenticator } from './http-auth.js';
import { HttpSessions, type SessionLimits } from './http-sessions.js';
import type { Logger } from './logger.js';
import { MAX_MESSAGE_BYTES } from './message-size.js';
import type { HearthServer } from './server.js';

const LOCAL_NAMES = ['localhost', '127.0.0.1', '[::1]'];

export interface HttpOptions {
  config: HearthConfig;
  servers: readonly HearthServer[];
  log: Logger;
  passphraseHash?: string | undefined;
  /** How many 2025-era sessions each server keeps, and for how long idle (default: shared/http-sessions.ts). */
  sessions?: SessionLimits;
}

export interface RunningHttp {
  /** Base URL, e.g. http://127.0.0.1:8765 — servers live at `${url}/mcp/<name>`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function jsonRpcError(message: string, hint: string): unknown {
  return { jsonrpc: '2.0', id: null, error: { code: -32001, message, data: { hint } } };
}

/** A POST's JSON body, read from a copy so the request can still be served; undefined when it is not JSON. */
async function jsonBody(request: Request): Promise<unknown> {
  if (request.method !== 'POST') return undefined;
  try {
    return JSON.parse(await request.clone().text()) as unknown;
  } catch {
    return undefined;
  }
}

export async function startHttp(options: HttpOptions): Promise<RunningHttp> {
  const { config, log } = options;
  const http = config.http;
  const hostnames = [...LOCAL_NAMES, ...http.allowedHosts];
  if (!['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::'].includes(http.host)) hostnames.push(http.host);
  const validateHost = hostHeaderValidation(hostnames);
  const validateOrigin = originValidation([...LOCAL_NAMES, ...http.allowedOrigins]);
  const auth = new HttpAuthenticator({ token: http.token, passphraseHash: options.passphraseHash ?? http.passphraseHash });
  const limiter = new RateLimiter();

  const routes = new Map<string, { close(): Promise<void>; node: NodeMcpRequestHandler }>();
  for (const server of options.servers) {
    const handler = createMcpHandler(() => server.connect('http'), {
      maxRequestBodySize: MAX_MESSAGE_BYTES,
      onerror: (error) => log.debug({ server: server.name, err: describeError(error) }, 'http request rejected by the MCP handler'),
    });
    const sessions = new HttpSessions(() => server.connect('http', { session: true }), {
      maxRequestBodySize: MAX_MESSAGE_BYTES,
      ...(options.sessions ? { limits: options.sessions } : {}),
    });
    const fetch = async (request: Request, opts?: McpHandlerRequestOptions): Promise<Response> => {
      // Parsed once here, for the era check and for whichever handler serves the request.
      const body = opts?.parsedBody ?? (await jsonBody(request));
      if ((await isLegacyRequest(request, body, { maxRequestBodySize: MAX_MESSAGE_BYTES })) && HttpSessions.wants(request, body)) {
        return sessions.handle(request, opts?.authInfo, body);
      }
      return handler.fetch(request, body === undefined ? opts : { ...opts, parsedBody: body });
    };
    routes.set(server.name, {
      close: async () => {
        await sessions.close();
        await handler.close();
      },
      node: toNodeHandler(
        { fetch },
        { maxRequestBodySize: MAX_MESSAGE_BYTES, onerror: (error) => log.warn({ err: describeError(error) }, 'http adapter error') },
      ),
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://placeholder');
    if (!validateHost(req, res) || !validateOrigin(req, res)) return;

    const match = /^\/mcp\/([a-z][a-z0-9-]*)\/?$/.exec(url.pathname);
    if (url.pathname === '/health') {
      json(res, 200, { ok: true, servers: [...routes.keys()] });
      return;
    }
    const route = match ? routes.get(match[1]!) : undefined;
    if (!route) {
      json(res, 404, {
        error: `no MCP endpoint at ${url.pathname}`,
        hint: `Use ${[...routes.keys()].map((n) => `/mcp/${n}`).join(', ')}.`,
      });
      return;
    }

    const remote = req.socket.remoteAddress ?? 'unknown';
    const presented = HttpAuthenticator.presented(req.headers.authorization);
    const clientKey = presented ? `cred:${HttpAuthenticator.fingerprint(presented)}:${remote}` : `anon:${remote}`;
    const rate = limiter.take(clientKey, http.rateLimit.requestsPerMinute, http.rateLimit.burst);
    if (!rate.ok) {
      json(
        res,
        429,
        jsonRpcError(
          'rate limit exceeded',
          `Slow down: at most ${http.rateLimit.requestsPerMinute} requests a minute. Retry after ${rate.retryAfterSeconds} s.`,
        ),
        { 'retry-after': String(rate.retryAfterSeconds) },
      );
      return;
    }
    const decision = await auth.authenticate(presented, remote);
    if (!decision.ok && decision.status === 429) {
      json(
        res,
        429,
        decision.reason === 'busy'
          ? jsonRpcError('too many authentication attempts in progress', `Retry after ${decision.retryAfterSeconds} s.`)
          : jsonRpcError(
              'too many failed authentication attempts',
              `Retry after ${decision.retryAfterSeconds} s with the right credentials.`,
            ),
        { 'retry-after': String(decision.retryAfterSeconds) },
      );
      return;
    }
    if (!decision.ok) {
      json(
        res,
        401,
        jsonRpcError(
          decision.reason === 'invalid' ? 'invalid credentials' : 'authentication required',
          'Send Authorization: Bearer <token or passphrase>. The token is in <home>/http-token unless configured; see `hearth serve --help`.',
        ),
        {
          'www-authenticate': 'Bearer realm="hearth"',
        },
      );
      return;
    }
    const authInfo = decision.info;
    (req as IncomingMessage & { auth?: unknown }).auth = authInfo;
    await route.node(req, res);
  }

  const server: NodeServer = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log.error({ err: describeError(error) }, 'http request failed');
      if (!res.headersSent) json(res, 500, jsonRpcError('internal error', 'The server log has the details.'));
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(http.port, http.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = http.host.includes(':') ? `[${http.host}]` : http.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    async close() {
      await Promise.all([...routes.values()].map((r) => r.close()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
