// The origin allowlist, enforced for everything a session's pages do. Two layers:
// 1. Playwright routing on the context sees each request the page starts to an origin off the list
//    — navigations, iframes, popups, fetch/XHR, form posts, subresources — and each such WebSocket;
//    it is aborted before it leaves the browser and reported with its kind.
// 2. Every connection that is not to an exactly-named allowed origin goes through the session's
//    filter proxy, including the hops of server-side redirects (which routing never sees); it
//    refuses the disallowed ones.
// Service workers are blocked when the context is created (they could fetch outside routing).
// UDP (WebRTC, WebTransport, name lookups), which neither layer sees, is closed as udp-exits.ts says.
import type { BrowserContext, Frame, Page, Request, Route, WebSocketRoute } from 'playwright-core';

import { blockedUrls, blockedWebSockets, bypassRules } from './allowlist-rules.js';
import type { WebEvent } from './events.js';
import { FilterProxy } from './filter-proxy.js';
import { removeUdpExits } from './udp-exits.js';
import { type OriginPolicy, verdictFor } from './url-policy.js';

export interface BlockReport {
  url: string;
  kind: string;
  reason: string;
  /** The page the request came from, when known. */
  page?: Page;
  navigation: boolean;
}

function safeFrame(request: Request): Frame | undefined {
  try {
    return request.frame();
  } catch {
    // A popup's first navigation has no frame yet; service-worker requests have none at all.
    return undefined;
  }
}

function describeKind(request: Request, frame: Frame | undefined): string {
  if (request.isNavigationRequest()) {
    if (!frame) return 'navigation (new tab)';
    return frame.parentFrame() === null ? 'navigation' : 'iframe';
  }
  if (request.method() === 'POST' && request.resourceType() === 'document') return 'form post';
  return request.resourceType();
}

export class OriginGuard {
  private readonly proxy: FilterProxy;

  constructor(
    private readonly policy: OriginPolicy,
    private readonly report: (event: WebEvent, block?: BlockReport) => void,
  ) {
    this.proxy = new FilterProxy({
      verdict: (url) => verdictFor(this.policy, url),
      onBlocked: (block) =>
        this.report({
          kind: 'blocked',
          url: block.url,
          text: `blocked ${block.method} ${block.url}${block.destination ? ` (${block.destination})` : ''} at the network: ${block.reason}`,
        }),
    });
  }

  /** Starts the proxy; returns the proxy settings for `browser.newContext`. */
  async proxySettings(): Promise<{ server: string; bypass: string }> {
    // `<-loopback>` removes Chromium's implicit proxy bypass for localhost, so loopback is checked
    // too; the exactly-named allowed origins connect directly.
    return { server: await this.proxy.start(), bypass: ['<-loopback>', ...bypassRules(this.policy.policy.web.origins)].join(',') };
  }

  async install(context: BrowserContext): Promise<void> {
    const origins = this.policy.policy.web.origins;
    await context.addInitScript(removeUdpExits);
    // Matched in Playwright's network layer as each request pauses: requests to allowed origins go
    // on from there and never reach this handler.
    await context.route(blockedUrls(origins), (route) => this.onRoute(route));
    await context.routeWebSocket(blockedWebSockets(origins), (ws) => this.onWebSocket(ws));
  }

  private async onRoute(route: Route): Promise<void> {
    const request = route.request();
    const url = request.url();
    const verdict = verdictFor(this.policy, url);
    if (verdict.allowed) {
      await route.continue().catch(() => undefined);
      return;
    }
    // Abort first: nothing about reporting may keep a blocked request waiting or let it through.
    await route.abort('blockedbyclient').catch(() => undefined);
    const frame = safeFrame(request);
    const kind = describeKind(request, frame);
    let page: Page | undefined;
    try {
      page = frame?.page();
    } catch {
      page = undefined;
    }
    this.report(
      { kind: 'blocked', url, text: `blocked ${request.method()} ${url} (${kind}): ${verdict.reason}` },
      { url, kind, reason: verdict.reason, navigation: request.isNavigationRequest(), ...(page ? { page } : {}) },
    );
  }

  private onWebSocket(ws: WebSocketRoute): void {
    const url = ws.url();
    const verdict = verdictFor(this.policy, url);
    if (verdict.allowed) {
      ws.connectToServer();
      return;
    }
    this.report({ kind: 'blocked', url, text: `blocked WebSocket ${url}: ${verdict.reason}` });
    void ws.close({ code: 1008, reason: 'Blocked by Hearth: origin not allowed' }).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.proxy.close();
  }
}
