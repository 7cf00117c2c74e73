/**
 * Debian's Chromium for the browser tests (playwright-core downloads no browser; `.ci/run` installs it),
 * launched headless in a throwaway profile, with everything that would reach the network turned off.
 */
import { type BrowserContext, type BrowserContextOptions, chromium } from 'playwright-core';
import { tempDir } from './temp-dir.js';

const CHROMIUM = '/usr/bin/chromium';

/** A fresh headless Chromium context at 1366×800 unless `options` say otherwise. */
export function launchChromium(options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return chromium.launchPersistentContext(tempDir('muster-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1366, height: 800 },
    ...options,
  });
}
