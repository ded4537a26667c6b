// Finding a Chromium to drive: HEARTH_CHROMIUM, then a system Chromium/Chrome, then the browser
// Playwright installed for itself. One list, used by the web server, `hearth doctor` and
// `make chromium`.
import { existsSync } from 'node:fs';
import { homedir, platform } from 'node:os';
import { join } from 'node:path';

export const SYSTEM_CHROMIUM_PATHS: readonly string[] =
  platform() === 'darwin'
    ? ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', join(homedir(), 'Applications/Chromium.app/Contents/MacOS/Chromium')]
    : ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable', '/opt/google/chrome/chrome'];

export interface ChromiumLocation {
  path: string;
  source: 'setting' | 'HEARTH_CHROMIUM' | 'system' | 'playwright';
}

/** Playwright's own downloaded browser, if `playwright-core install chromium` was ever run. */
async function playwrightChromium(): Promise<string | undefined> {
  try {
    const { chromium } = await import('playwright-core');
    const path = chromium.executablePath();
    return path && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

export async function findChromium(setting: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ChromiumLocation | undefined> {
  if (setting) return existsSync(setting) ? { path: setting, source: 'setting' } : undefined;
  if (env.HEARTH_CHROMIUM) return existsSync(env.HEARTH_CHROMIUM) ? { path: env.HEARTH_CHROMIUM, source: 'HEARTH_CHROMIUM' } : undefined;
  const system = SYSTEM_CHROMIUM_PATHS.find((p) => existsSync(p));
  if (system) return { path: system, source: 'system' };
  const own = await playwrightChromium();
  return own ? { path: own, source: 'playwright' } : undefined;
}

/** Flags for a headless Chromium that never phones home (and works as root in containers). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--metrics-recording-only',
  '--password-store=basic',
];
