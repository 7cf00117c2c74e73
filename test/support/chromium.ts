/**
 * Debian's Chromium for the browser tests (playwright-core downloads no browser; `.ci/run` installs it),
 * launched headless in a throwaway profile, with everything that would reach the network turned off.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Locator,
  type Page,
} from 'playwright-core';
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

/**
 * A fresh Chromium context (see launchChromium) and a page in it on which a script error in the page fails the
 * test that caused it.
 */
export async function launchPage(
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await launchChromium(options);
  const page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
  return { context, page };
}

/** Waits until `locator` is visible; returns its text as a person reads it. */
export async function seen(locator: Locator): Promise<string> {
  await locator.waitFor({ state: 'visible', timeout: 10_000 });
  // biome-ignore lint/performance/useDomNodeTextContent: playwright's innerText is the rendered text a person reads
  return (await locator.innerText()).trim();
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: string[] }[];
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on `page` as it is now (WCAG 2.x A and AA rules, and its best practices). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // each navigation loads a fresh page: axe is added to it once
  if ((await page.evaluate('typeof window.axe')) !== 'object') await page.addScriptTag({ content: AXE });
  const result = (await page.evaluate(`axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  })`)) as { violations: AxeViolation[] };
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    nodes: v.nodes.map((n) => ({ target: n.target })),
  }));
}
