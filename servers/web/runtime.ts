// Everything the web tools share, owned by one object with one close(): the browser, the sessions,
// the saved sessions. Built by createServer; nothing here runs on import.
import { join } from 'node:path';

import type { Kernel } from '../../shared/kernel.js';
import { BrowserHost } from './browser-host.js';
import { SavedSessions } from './saved-sessions.js';
import { SessionManager } from './sessions.js';
import type { WebSettings } from './settings.js';

export class WebRuntime {
  readonly host: BrowserHost;
  readonly sessions: SessionManager;
  readonly saved: SavedSessions;
  /** <home>/web */
  readonly root: string;

  constructor(
    readonly kernel: Kernel,
    readonly settings: WebSettings,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.root = join(kernel.config.home, 'web');
    this.host = new BrowserHost(settings, kernel.log, kernel.policy.policy.web.origins, env);
    this.saved = new SavedSessions(join(this.root, 'sessions'));
    this.sessions = new SessionManager({
      host: this.host,
      settings,
      policy: kernel.policy,
      saved: this.saved,
      log: kernel.log,
      root: this.root,
    });
  }

  async close(): Promise<void> {
    try {
      await this.sessions.closeAll();
    } finally {
      await this.host.close();
    }
  }
}
