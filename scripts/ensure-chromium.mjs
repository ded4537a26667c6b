#!/usr/bin/env node
// Finds or installs a Chromium for the web server, and says what it did:
// 1. HEARTH_CHROMIUM or a system Chromium/Chrome already present → use it;
// 2. else, as root with apt-get → install Debian's `chromium`;
// 3. else → Playwright's own browser (`playwright-core install chromium`).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(repo, 'dist', 'shared', 'chromium.js');
if (!existsSync(built)) {
  console.error('ensure-chromium: build first (npm run build)');
  process.exit(1);
}
const { findChromium: find } = await import(pathToFileURL(built).href);
const { chromium } = await import('playwright-core');
// The finder throws when there is nothing to find; here that just means "install one".
const findChromium = () => {
  try {
    return find({ playwrightPath: () => chromium.executablePath() });
  } catch {
    return undefined;
  }
};

const found = findChromium();
if (found) {
  console.log(`chromium: using ${found.path} (${found.source === 'system' ? 'already installed on this system' : found.source})`);
  process.exit(0);
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (isRoot && hasApt) {
  console.log("chromium: none found; installing Debian's chromium with apt-get (as root)…");
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const after = findChromium();
  if (after) {
    console.log(`chromium: installed ${after.path}`);
    process.exit(0);
  }
  console.error('chromium: apt-get finished but no chromium binary was found');
  process.exit(1);
}

console.log(`chromium: none found and ${isRoot ? 'no apt-get' : 'not root'}; installing Playwright's own Chromium…`);
try {
  execFileSync(process.execPath, [join(repo, 'node_modules', 'playwright-core', 'cli.js'), 'install', 'chromium'], { stdio: 'inherit' });
} catch {
  console.error(
    'chromium: could not install a browser. Install Chromium or Chrome yourself, or set HEARTH_CHROMIUM to its path. The web server needs one; the others do not.',
  );
  process.exit(1);
}
const own = findChromium();
console.log(own ? `chromium: installed Playwright's browser at ${own.path}` : 'chromium: the install ran but the browser was not found');
process.exit(own ? 0 : 1);
