// One Chromium per server process, launched on first use and shared by every session (each session
// is its own isolated browser context). Closed with the server.
import { createRequire } from 'node:module';

import type { Logger } from 'pino';
import type * as Playwright from 'playwright-core';
import type { Browser, BrowserType } from 'playwright-core';

import { describeError, HearthError, isHearthError } from '../../lib/errors.js';
import { CHROMIUM_ARGS, type ChromiumLocation, findChromium, INSTALL_HINT } from '../../shared/chromium.js';
import { hostResolverRules } from './allowlist-rules.js';
import type { WebSettings } from './settings.js';

export class BrowserHost {
  private launching: Promise<Browser> | undefined;
  private closed = false;
  private onDisconnect: (() => void)[] = [];

  constructor(
    private readonly settings: WebSettings,
    private readonly log: Logger,
    /** The policy's web origins: Chromium resolves no other host name. */
    private readonly origins: readonly string[],
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /**
   * playwright-core, loaded on first use: importing it costs most of a second, which a server that
   * only lists its tools (or never opens a page) should not pay at start.
   */
  private chromium(): BrowserType {
    return (createRequire(import.meta.url)('playwright-core') as typeof Playwright).chromium;
  }

  /** Where the browser binary is, without launching it. Throws UNAVAILABLE when there is none. */
  locate(): ChromiumLocation {
    return findChromium({
      executablePath: this.settings.executablePath,
      env: this.env,
      playwrightPath: () => this.chromium().executablePath(),
    });
  }

  /** Calls `listener` when the browser goes away (crash or close), so sessions can forget their contexts. */
  whenDisconnected(listener: () => void): void {
    this.onDisconnect.push(listener);
  }

  async browser(): Promise<Browser> {
    if (this.closed) throw new HearthError('UNAVAILABLE', 'the web server is shutting down', 'Reconnect to the server and try again.');
    this.launching ??= this.launch().catch((error: unknown) => {
      this.launching = undefined;
      throw error;
    });
    return this.launching;
  }

  private async launch(): Promise<Browser> {
    const location = this.locate();
    const started = performance.now();
    let browser: Browser;
    try {
      browser = await this.chromium().launch({
        executablePath: location.path,
        headless: this.settings.headless,
        args: [...CHROMIUM_ARGS, hostResolverRules(this.origins), ...this.settings.args],
        // Hearth owns shutdown; stray signals must not kill the browser under a running call.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
        timeout: 60_000,
      });
    } catch (error) {
      if (isHearthError(error)) throw error;
      throw new HearthError('UNAVAILABLE', `Chromium at ${location.path} could not be started: ${describeError(error)}`, INSTALL_HINT);
    }
    this.log.info(
      { path: location.path, source: location.source, version: browser.version(), ms: Math.round(performance.now() - started) },
      'browser launched',
    );
    browser.on('disconnected', () => {
      if (!this.closed) this.log.warn('the browser disconnected; it will be relaunched on the next call');
      this.launching = undefined;
      for (const listener of this.onDisconnect) listener();
    });
    if (this.closed) {
      await browser.close();
      throw new HearthError('UNAVAILABLE', 'the web server is shutting down', 'Reconnect to the server and try again.');
    }
    return browser;
  }

  /** Whether a browser is running now (a launch may be in progress). */
  get running(): boolean {
    return this.launching !== undefined;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pending = this.launching;
    this.launching = undefined;
    if (!pending) return;
    try {
      const browser = await pending;
      await browser.close();
    } catch (error) {
      this.log.debug({ err: describeError(error) }, 'closing the browser');
    }
  }
}
