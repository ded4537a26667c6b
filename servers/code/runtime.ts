// What the code tools are wired to, built once by createServer: the settings, the sandbox sessions
// and the kernel (policy, artifacts). Owned by the server; sessions close with it.
import type { Kernel } from '../../shared/kernel.js';
import type { SessionManager } from './sessions/session-manager.js';
import type { CodeSettings } from './settings.js';

export interface CodeRuntime {
  settings: CodeSettings;
  sessions: SessionManager;
  kernel: Kernel;
}
