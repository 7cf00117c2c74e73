/**
 * The sandbox page checked as a reviewer's tools check it, in Debian's Chromium (playwright-core): axe-core finds
 * no serious or critical accessibility violation (heading order in particular) on a channel with a pinned
 * headline, wide and at 390 px; at 390 px the page does not scroll sideways and the conversation keeps room to
 * read (WCAG 1.4.10 reflow); relative dates and counts are plural only when they should be; and a channel clicked
 * while a live update is on its way is the one opened. Screenshots are
 * kept in test-artifacts/sandbox-page-checks/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENTS_CHANNEL_ID } from '../../src/slack-workspace-seed.js';
import { type AxeViolation, axeViolations, launchPage } from '../../../../test/support/chromium.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox-harness.js';
import { removeTempDirs } from '../../../../test/support/temp-dir.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'sandbox-page-checks');
const ALICE = 'U0ALICE';

let t: TestSandbox;
let context: BrowserContext;
let page: Page;
let channelId: string;

const serious = (violations: AxeViolation[]) =>
  violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');

/** Opens the incident channel as Alice, opens the pinned panel and waits for its headline. */
async function openIncidentChannel(): Promise<void> {
  await page.goto(`${t.base}/?as=alice&channel=${channelId}`);
  // the pinned panel is collapsed until opened; these checks look at it open
  await page.locator('#pins summary').click();
  await page.locator('#pins-list article').first().waitFor();
  await page.locator('#messages article').first().waitFor();
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  t = await startTestSandbox({ acknowledgeAfterMs: 200 });
  const s = t.sandbox;
  expect(
    await s.people.type(
      ALICE,
      INCIDENTS_CHANNEL_ID,
      '/incident declare sev2 Checkout returns 502 for card payments',
    ),
  ).toEqual({ ok: true });
  await s.idle();
  const incident = (await s.app.deps.store.incidents.all()).at(-1)!;
  channelId = incident.channelId!;
  for (const text of [
    'Error rate on /orders is *35%* since the deploy of checkout-api 2024.11.3: https://grafana.example.com/d/checkout?orgId=1&from=now-1h&to=now&var-service=checkout-api-with-a-long-name',
    '`/var/log/checkout-api/payments-client-errors-2024-11-03T13:58:00Z.log` shows timeouts',
    'Rolling back now',
  ])
    s.people.say(ALICE, channelId, text);
  await s.idle();
  ({ context, page } = await launchPage());
});

afterAll(async () => {
  await context?.close();
  await t?.sandbox.stop();
  removeTempDirs();
});

describe('the sandbox page checked with axe-core in Chromium', () => {
  it('has no serious or critical violation, and its headings never skip a level, on a wide screen', async () => {
    await page.setViewportSize({ width: 1366, height: 800 });
    await openIncidentChannel();
    await page.screenshot({ path: join(ARTIFACTS, '01-wide.png') });
    const violations = await axeViolations(page);
    expect(violations.filter((v) => v.id === 'heading-order')).toEqual([]);
    expect(serious(violations)).toEqual([]);
    const levels =
      await page.evaluate(`[...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]')]
      .filter((e) => e.getClientRects().length > 0)
      .map((e) => Number(e.getAttribute('aria-level') ?? e.tagName.slice(1)))`);
    expect(levels).toContain(1);
  });

  it('reflows at 390 px: no sideways scrolling, and the conversation keeps room to read', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openIncidentChannel();
    await page.screenshot({ path: join(ARTIFACTS, '02-narrow.png') });
    await page.screenshot({ path: join(ARTIFACTS, '03-narrow-full-page.png'), fullPage: true });
    const size = (await page.evaluate(`({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      messagesHeight: document.getElementById('messages').getBoundingClientRect().height,
      wide: [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .slice(0, 5)
        .map((e) => e.tagName + '.' + e.className),
    })`)) as { scrollWidth: number; clientWidth: number; messagesHeight: number; wide: string[] };
    expect(size.wide).toEqual([]);
    expect(size.scrollWidth).toBeLessThanOrEqual(size.clientWidth);
    expect(size.messagesHeight).toBeGreaterThanOrEqual(200);
    // a modal and a thread fit the narrow screen too
    const fits = async (selector: string) =>
      page.evaluate(`(() => {
        const box = document.querySelector(${JSON.stringify(selector)}).getBoundingClientRect();
        return box.left >= 0 && box.right <= document.documentElement.clientWidth
          && document.documentElement.scrollWidth <= document.documentElement.clientWidth;
      })()`);
    await page.locator('#pins-list article').first().getByRole('button', { name: 'Assign role' }).click();
    const dialog = page.getByRole('dialog', { name: 'Assign a role' });
    await dialog.waitFor();
    expect(await fits('#modal')).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, '04-narrow-modal.png') });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const said = page.locator('#messages article', { hasText: 'Rolling back now' });
    await said.hover();
    await said.getByRole('button', { name: 'Reply' }).click();
    await page.getByRole('complementary', { name: 'Thread' }).waitFor();
    expect(await fits('#thread')).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, '05-narrow-thread.png') });
    await page.getByRole('button', { name: 'Close thread' }).click();
    const violations = await axeViolations(page);
    expect(violations.filter((v) => v.id === 'heading-order')).toEqual([]);
    expect(serious(violations)).toEqual([]);
  });

  it('shows relative dates and counts in the singular for one', async () => {
    const s = t.sandbox;
    const solo = s.workspace.createChannel('solo-notes', ALICE);
    const at = (deltaSeconds: number) => Math.floor(Date.now() / 1000) + deltaSeconds;
    // the margins keep each phrase the same for many seconds: the page renders these at its own clock
    s.workspace.postMessage(solo.id, ALICE, {
      text: [
        `Paged <!date^${at(-75)}^{ago}|a minute ago>.`,
        `Declared <!date^${at(-70 * 60)}^{ago}|an hour ago>.`,
        `Next update <!date^${at(80 * 60)}^{ago}|in an hour>.`,
        `Review <!date^${at(-2 * 86400 - 3600)}^{ago}|two days ago>.`,
      ].join('\n'),
    });
    s.workspace.postMessage(solo.id, ALICE, { text: 'Thread of one' });
    const parent = s.workspace.messages(solo.id).at(-1)!;
    s.workspace.postMessage(solo.id, ALICE, { text: 'the one reply', threadTs: parent.ts });
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.goto(`${t.base}/?as=alice&channel=${solo.id}`);
    const dated = page.locator('#messages article', { hasText: 'Paged' });
    await dated.waitFor();
    // biome-ignore lint/performance/useDomNodeTextContent: playwright's innerText is the rendered text a person reads
    const text = await dated.innerText();
    expect(text).toContain('Paged 1 minute ago.');
    expect(text).toContain('Declared 1 hour ago.');
    expect(text).toContain('Next update in 1 hour.');
    expect(text).toContain('Review 2 days ago.');
    expect(text).not.toMatch(/\b1 (minutes|hours|days)\b/);
    expect((await page.locator('#member-count').textContent())?.trim()).toBe('1 member');
    await page.getByRole('button', { name: /1 reply\b/ }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, '06-plurals.png') });
    s.workspace.inviteToChannel(solo.id, ['U0BOB'], ALICE);
    await page.locator('#member-count', { hasText: /^2 members$/ }).waitFor();
  });

  it('opens the channel clicked while the state of the one shown is still on its way', async () => {
    await page.setViewportSize({ width: 1366, height: 800 });
    await page.goto(`${t.base}/?as=alice&channel=${INCIDENTS_CHANNEL_ID}`);
    await page.getByRole('heading', { level: 1, name: '#incidents' }).waitFor();
    // hold the next answer about #incidents (a live update in flight), click the incident channel meanwhile
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding = false;
    await page.route(`**/sandbox/state?*channel=${INCIDENTS_CHANNEL_ID}*`, async (route) => {
      holding = true;
      await held;
      await route.continue();
    });
    t.sandbox.people.say(ALICE, INCIDENTS_CHANNEL_ID, 'a message that makes the page refresh #incidents');
    await expect.poll(() => holding).toBe(true);
    await page
      .getByRole('navigation', { name: 'Channels' })
      .getByRole('link', { name: /inc-1-checkout/ })
      .click();
    release();
    await page.getByRole('heading', { level: 1, name: /^#inc-1-checkout/ }).waitFor();
    await page.unroute(`**/sandbox/state?*channel=${INCIDENTS_CHANNEL_ID}*`);
    // and it stays there once the late answer about #incidents has come and gone
    await page.locator('#messages article', { hasText: 'Rolling back now' }).waitFor();
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText, the heading as a person sees it
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toMatch(/^#inc-1-checkout/);
  });
});
