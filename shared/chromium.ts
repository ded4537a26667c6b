// Where Chromium is and how it is started; used by the web server, `hearth doctor` and
// `make chromium`. The search order: the `executablePath` setting, the HEARTH_CHROMIUM variable,
// the usual system locations, then Playwright's own downloaded browser.
import { existsSync } from 'node:fs';

import { HearthError } from '../lib/errors.js';

/** System locations tried in order when nothing is configured. */
export const SYSTEM_CHROMIUM_PATHS: readonly string[] = [
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/**
 * Features switched off. Chromium reads only the last `--disable-features` switch, and ours comes
 * after Playwright's, so this repeats Playwright's own list (1.64: interception fixes, no Google
 * services at start) and adds Hearth's.
 */
const DISABLED_FEATURES: readonly string[] = [
  // Playwright's
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'DialMediaRouteProvider',
  'GlobalMediaControls',
  'HttpsUpgrades',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'BlockOriginHeaderModificationOnRedirect',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'Translate',
  'AutoDeElevate',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  // Autofill asks a Google service about every form; the request would only show up as blocked.
  'AutofillServerCommunication',
];

/**
 * Switches for a quiet, headless-friendly Chromium. The background-networking switches matter on a
 * machine without internet: without them Chromium keeps retrying refused connections to Google.
 * The WebRTC and QUIC switches keep pages off UDP, which no proxy sees (servers/web/udp-exits.ts).
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // WebRTC may only use TCP through the proxy: no STUN check or ICE candidate goes out by UDP.
  '--webrtc-ip-handling-policy=disable_non_proxied_udp',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--metrics-recording-only',
  '--no-default-browser-check',
  `--disable-features=${DISABLED_FEATURES.join(',')}`,
];

export interface ChromiumLocation {
  path: string;
  /** Where the path came from, for `hearth doctor` and error messages. */
  source: 'setting' | 'HEARTH_CHROMIUM' | 'system' | 'playwright';
}

export interface FindOptions {
  executablePath?: string | undefined;
  env?: NodeJS.ProcessEnv;
  exists?: (path: string) => boolean;
  /** Playwright's own browser path; may throw when Playwright does not know one. */
  playwrightPath?: () => string;
}

export const INSTALL_HINT =
  'Run `make chromium` to install it, or point the `servers.web.executablePath` setting (or HEARTH_CHROMIUM) at a Chromium or Chrome binary.';

/** Finds a Chromium binary, or throws UNAVAILABLE saying what to do. */
export function findChromium(options: FindOptions = {}): ChromiumLocation {
  const exists = options.exists ?? existsSync;
  const env = options.env ?? process.env;
  if (options.executablePath) {
    if (exists(options.executablePath)) return { path: options.executablePath, source: 'setting' };
    throw new HearthError(
      'UNAVAILABLE',
      `servers.web.executablePath: ${options.executablePath} does not exist`,
      'Fix the path in the setting, or remove it to let Hearth find Chromium itself.',
    );
  }
  const fromEnv = env.HEARTH_CHROMIUM;
  if (fromEnv) {
    if (exists(fromEnv)) return { path: fromEnv, source: 'HEARTH_CHROMIUM' };
    throw new HearthError('UNAVAILABLE', `HEARTH_CHROMIUM: ${fromEnv} does not exist`, 'Fix or unset the HEARTH_CHROMIUM variable.');
  }
  const system = SYSTEM_CHROMIUM_PATHS.find((p) => exists(p));
  if (system) return { path: system, source: 'system' };
  try {
    const own = options.playwrightPath?.();
    if (own && exists(own)) return { path: own, source: 'playwright' };
  } catch {
    // Playwright has no browser of its own on this machine; fall through to the error.
  }
  throw new HearthError('UNAVAILABLE', 'no Chromium browser was found on this machine', INSTALL_HINT);
}
