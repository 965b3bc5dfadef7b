// Debian's Chromium driven by playwright-core (which downloads no browser), headless, with a fresh
// profile, plus where the run's screenshots go.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/** `/usr/bin/chromium` from Debian's chromium package, unless BETRACE_CHROMIUM names another. */
export const CHROMIUM = process.env['BETRACE_CHROMIUM'] ?? '/usr/bin/chromium';

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A browser and one context (its own profile: no cookies or storage from earlier runs). */
export async function launchChromium(): Promise<{ browser: Browser; context: BrowserContext }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 60_000 });
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true, colorScheme: 'dark' });
  return { browser, context };
}

/**
 * Where screenshots go: e2e/browser/screenshots (git-ignored), or BETRACE_SCREENSHOTS — set it to
 * docs/screenshots to refresh the README's pictures.
 */
export function screenshotDir(): string {
  const dir = resolve(import.meta.dirname, '../../..', process.env['BETRACE_SCREENSHOTS'] ?? 'e2e/browser/screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function screenshotPath(name: string): string {
  return join(screenshotDir(), `${name}.png`);
}
