// A loopback HTTP proxy that every browser context of a session talks through. It is the network-level
// backstop of the origin allowlist: Playwright's request routing never sees the hops of a server-side
// redirect, but each hop still has to come through here, and so does everything else (WebSockets,
// beacons, prefetches). Plain HTTP is forwarded per request; CONNECT tunnels are opened only to an
// allowed host:port, and the first bytes decide whether the tunnel carries TLS (https/wss) or a
// plaintext WebSocket (ws), so each is checked against its own scheme.
import { Agent, createServer, type IncomingMessage, request as httpRequest, type Server, type ServerResponse } from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

import type { UrlVerdict } from './url-policy.js';

export interface ProxyBlock {
  url: string;
  method: string;
  /** Sec-Fetch-Dest of the request when the browser sent one: document, iframe, image, empty (fetch)… */
  destination?: string;
  reason: string;
}

export interface FilterProxyOptions {
  verdict(url: string): UrlVerdict;
  onBlocked(block: ProxyBlock): void;
}

const HOP_BY_HOP = new Set([
  'proxy-connection',
  'proxy-authorization',
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

function blockedPage(url: string, reason: string): string {
  const safe = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>Blocked by Hearth</title></head><body><h1>Blocked by Hearth</h1><p>${safe(url)}</p><p>${safe(reason)}</p></body></html>`;
}

function splitHostPort(authority: string): { host: string; port: number } | undefined {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(authority);
  if (!m) return undefined;
  const port = Number(m[2]);
  return port > 0 && port < 65536 ? { host: m[1]!, port } : undefined;
}

export class FilterProxy {
  private readonly server: Server;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 32 });
  private readonly sockets = new Set<Socket | Duplex>();
  private address: string | undefined;

  constructor(private readonly options: FilterProxyOptions) {
    this.server = createServer((req, res) => this.forward(req, res));
    this.server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.tunnel(req, socket, head));
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
    this.server.on('connection', (socket: Socket) => this.track(socket));
    this.server.on('clientError', (_error, socket: Duplex) => socket.destroy());
  }

  /** Starts listening on a random loopback port; returns the proxy URL for the browser. */
  async start(): Promise<string> {
    if (this.address) return this.address;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    const info = this.server.address();
    if (!info || typeof info !== 'object') throw new Error('the filter proxy did not get a port');
    this.address = `http://127.0.0.1:${info.port}`;
    return this.address;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.agent.destroy();
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: Socket | Duplex): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private block(url: string, method: string, reason: string, destination?: string): void {
    this.options.onBlocked({ url, method, reason, ...(destination ? { destination } : {}) });
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const raw = req.url ?? '';
    let target: URL;
    try {
      target = new URL(raw);
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' });
      return void res.end('This is a proxy; it accepts absolute URLs only.');
    }
    const destination = typeof req.headers['sec-fetch-dest'] === 'string' ? req.headers['sec-fetch-dest'] : undefined;
    const verdict =
      target.protocol === 'http:'
        ? this.options.verdict(target.href)
        : { allowed: false as const, reason: `the ${target.protocol} scheme cannot go through the proxy` };
    if (!verdict.allowed) {
      this.block(target.href, req.method ?? 'GET', verdict.reason, destination);
      req.resume();
      res.writeHead(403, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'x-hearth-blocked': '1' });
      return void res.end(blockedPage(target.href, verdict.reason));
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) headers[name] = value;
    const upstream = httpRequest(target, { method: req.method ?? 'GET', headers, agent: this.agent }, (reply) => {
      const out: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(reply.headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
      res.writeHead(reply.statusCode ?? 502, reply.statusMessage, out);
      reply.pipe(res);
      reply.on('error', () => res.destroy());
    });
    upstream.on('error', () => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end('Upstream connection failed.');
      } else res.destroy();
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  }

  private tunnel(req: IncomingMessage, client: Duplex, head: Buffer): void {
    this.track(client);
    client.on('error', () => client.destroy());
    const hostPort = splitHostPort(req.url ?? '');
    if (!hostPort) {
      client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const authority = req.url!;
    const tls = this.options.verdict(`https://${authority}/`);
    const plain = this.options.verdict(`ws://${authority}/`);
    if (!tls.allowed && !plain.allowed) {
      this.block(`https://${authority}`, 'CONNECT', tls.reason);
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    const decide = (first: Buffer) => {
      // A TLS record starts with 0x16 (handshake); anything else is a plaintext protocol (ws://).
      const isTls = first[0] === 0x16;
      const verdict = isTls ? tls : plain;
      if (!verdict.allowed) {
        const line = isTls ? '' : (/^[A-Z]+ (\S+) HTTP/.exec(first.subarray(0, 2048).toString('latin1'))?.[1] ?? '/');
        this.block(isTls ? `https://${authority}` : `ws://${authority}${line}`, 'CONNECT', verdict.reason, isTls ? undefined : 'websocket');
        client.destroy();
        return;
      }
      const upstream = netConnect({ host: hostPort.host.replace(/^\[|\]$/g, ''), port: hostPort.port, autoSelectFamily: true });
      this.track(upstream);
      upstream.on('error', () => client.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      upstream.write(first);
      client.pipe(upstream);
      upstream.pipe(client);
    };
    if (head.length > 0) decide(head);
    else
      client.once('data', (chunk: Buffer) => {
        client.pause();
        decide(chunk);
        client.resume();
      });
  }

  private upgrade(req: IncomingMessage, client: Duplex, head: Buffer): void {
    this.track(client);
    client.on('error', () => client.destroy());
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      client.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      return;
    }
    const wsUrl = `ws://${target.host}${target.pathname}${target.search}`;
    const verdict = this.options.verdict(wsUrl);
    if (target.protocol !== 'http:' || !verdict.allowed) {
      this.block(wsUrl, 'GET', verdict.allowed ? 'unexpected upgrade' : verdict.reason, 'websocket');
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = netConnect({ host: target.hostname.replace(/^\[|\]$/g, ''), port: Number(target.port || 80), autoSelectFamily: true });
    this.track(upstream);
    upstream.on('error', () => client.destroy());
    upstream.on('connect', () => {
      const lines = [`${req.method ?? 'GET'} ${target.pathname}${target.search} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i]!;
        if (/^proxy-/i.test(name)) continue;
        lines.push(`${name}: ${req.rawHeaders[i + 1]}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }
}
