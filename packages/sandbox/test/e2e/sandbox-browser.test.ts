/**
 * The sandbox page in a real browser (Debian's Chromium driven by playwright-core): a person declares an
 * incident from the page, assigns a role through a modal (and sees the app refuse a bot), pins a message to
 * the timeline with a reaction, replies in a thread, resolves from the keyboard and downloads the postmortem.
 * Assertions read what the page shows; a screenshot of each step is kept in test-artifacts/sandbox-browser/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchPage, seen } from '../../../../test/support/chromium.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox-harness.js';
import { removeTempDirs } from '../../../../test/support/temp-dir.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'sandbox-browser');
const TITLE = 'Checkout returns 502 for card payments';

let t: TestSandbox;
let context: BrowserContext;
let page: Page;
let step = 0;

/** Keeps a screenshot of the page as it is now. */
async function shot(name: string): Promise<void> {
  step += 1;
  await page.screenshot({ path: join(ARTIFACTS, `${String(step).padStart(2, '0')}-${name}.png`) });
}

/** Types into the channel's message box and sends with Enter, as a person would. */
async function typeInComposer(text: string): Promise<void> {
  const box = page.getByLabel('Message or /incident command');
  await box.fill(text);
  await box.press('Enter');
  // the box empties once the sandbox took it
  await page.waitForFunction("document.getElementById('composer-input').value === ''");
}

const messages = () => page.locator('#messages');
const headline = () => page.locator('#pins-list article').first();

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  t = await startTestSandbox({ acknowledgeAfterMs: 200 });
  ({ context, page } = await launchPage({ acceptDownloads: true }));
});

afterAll(async () => {
  await context?.close();
  await t?.sandbox.stop();
  removeTempDirs();
});

describe('the sandbox page in Chromium', () => {
  it('opens on #incidents with the sandbox banner and the person chosen', async () => {
    await page.goto(`${t.base}/?as=alice`);
    expect(await seen(page.locator('.banner'))).toContain('Sandbox: not connected to Slack');
    expect(await seen(page.getByRole('heading', { level: 1 }))).toBe('#incidents');
    expect(await page.getByLabel('Acting as').inputValue()).toBe('U0ALICE');
    expect(await seen(page.getByRole('navigation', { name: 'Channels' }))).toContain('None yet');
    await shot('start');
  });

  it('declares an incident from the message box and opens its channel', async () => {
    await typeInComposer(`/incident declare sev2 ${TITLE}`);
    const told = messages().locator('article.ephemeral', { hasText: 'is open in' });
    expect(await seen(told)).toContain('Only visible to you');
    expect(
      await seen(
        messages()
          .locator('article:not(.ephemeral)', { hasText: `INC-1: ${TITLE}` })
          .first(),
      ),
    ).toContain('SEV-2');
    await shot('declared');
    await page
      .getByRole('navigation', { name: 'Channels' })
      .getByRole('link', { name: /inc-1-checkout-returns-502/ })
      .click();
    // the heading of the channel opened (the one before shows until the channel's state arrives)
    expect(
      await seen(
        page.getByRole('heading', { level: 1, name: '#inc-1-checkout-returns-502-for-card-payments' }),
      ),
    ).toBe('#inc-1-checkout-returns-502-for-card-payments');
    // the pinned panel is collapsed until opened
    expect(await page.evaluate("document.getElementById('pins').open")).toBe(false);
    await page.locator('#pins summary').click();
    const pinned = await seen(headline());
    expect(pinned).toContain(`INC-1: ${TITLE}`);
    expect(pinned).toMatch(/Status\s+🔍 investigating/);
    expect(pinned).toMatch(/Incident Commander\s+@Alice/);
    // the runbook file of the demo catalog's checkout service, shared by the app
    expect(await seen(messages().locator('.file', { hasText: 'Checkout returns 5xx' }))).toContain(
      'Download',
    );
    await shot('incident-channel');
  });

  it('assigns a role through the modal; a refused field shows its error and the form stays open', async () => {
    await headline().getByRole('button', { name: 'Assign role' }).click();
    const dialog = page.getByRole('dialog', { name: 'Assign a role' });
    await dialog.waitFor();
    await dialog.getByLabel('Role').selectOption('scribe');
    await dialog.getByLabel('Person').selectOption('U0DEPLOYBOT');
    await dialog.getByRole('button', { name: 'Assign' }).click();
    const error = dialog.locator('.bk-error:not([hidden])');
    expect(await seen(error)).toMatch(/bot|app/i);
    expect(await dialog.getByLabel('Person').getAttribute('aria-invalid')).toBe('true');
    await shot('modal-error');
    await dialog.getByLabel('Person').selectOption('U0BOB');
    await dialog.getByRole('button', { name: 'Assign' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await headline()
      .filter({ hasText: /Scribe\s*@Bob/ })
      .waitFor();
    await shot('role-assigned');
  });

  it('pins a message to the timeline with the 📌 reaction, and only its author sees their own ephemeral', async () => {
    await typeInComposer('Error rate on /orders is *35%* since the deploy');
    const said = messages().locator('article', { hasText: 'Error rate on /orders' });
    expect(await seen(said.locator('strong'))).toBe('35%');
    await said.hover();
    await said.getByRole('button', { name: /^React with pushpin/ }).click();
    const chip = said.locator('button.reaction[aria-pressed="true"]');
    expect(await seen(chip)).toContain('1');
    await typeInComposer('/incident timeline');
    const timeline = messages().locator('article.ephemeral', { hasText: 'Error rate on /orders' }).last();
    expect(await seen(timeline)).toContain('Only visible to you');
    await shot('pinned-to-timeline');
    await page.getByLabel('Acting as').selectOption('U0BOB');
    await page.locator('#announcer', { hasText: 'You are now Bob Martinez' }).waitFor({ state: 'attached' });
    expect(await messages().locator('article.ephemeral', { hasText: 'Error rate on /orders' }).count()).toBe(
      0,
    );
    expect(await seen(said.getByRole('button', { name: /^1 pushpin reaction/ }))).toContain('1');
    // Muster answers the pin with its own ✅ on the message
    expect(
      await seen(said.getByRole('button', { name: /^1 white check mark reaction by Muster/ })),
    ).toContain('1');
    await page.getByLabel('Acting as').selectOption('U0ALICE');
    await messages().locator('article.ephemeral', { hasText: 'Error rate on /orders' }).first().waitFor();
  });

  it('shows what other people do as it happens, and new messages elsewhere as unread', async () => {
    const incident = (await t.sandbox.app.deps.store.incidents.get(1))!;
    t.sandbox.people.say('U0BOB', incident.channelId!, 'Bob here: the deploy went out at 13:58');
    expect(await seen(messages().locator('article', { hasText: 'Bob here: the deploy' }))).toContain('Bob');
    t.sandbox.people.say('U0CAROL', 'C0INCIDENTS', 'Support is getting calls about checkout');
    const incidents = page
      .getByRole('navigation', { name: 'Channels' })
      .getByRole('link', { name: /incidents/ });
    await incidents.filter({ hasText: 'new messages' }).first().waitFor({ state: 'attached' });
  });

  it('replies in a thread', async () => {
    const said = messages().locator('article', { hasText: 'Error rate on /orders' }).first();
    await said.hover();
    await said.getByRole('button', { name: 'Reply' }).click();
    const thread = page.getByRole('complementary', { name: 'Thread' });
    await thread.waitFor();
    await page.getByLabel('Reply in thread').fill('Rolling back checkout-api now');
    await page.getByLabel('Reply in thread').press('Enter');
    expect(await seen(thread.locator('article', { hasText: 'Rolling back checkout-api now' }))).toContain(
      'Alice',
    );
    expect(await seen(said.getByRole('button', { name: /1 reply/ }))).toContain('1 reply');
    await shot('thread');
    await page.getByRole('button', { name: 'Close thread' }).click();
    await thread.waitFor({ state: 'hidden' });
  });

  it('resolves from the keyboard through the Resolve modal', async () => {
    await headline().getByRole('button', { name: 'Resolve' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Resolve INC-1' });
    await dialog.waitFor();
    // focus starts in the first field; Tab reaches Cancel, then Resolve
    await page.keyboard.type('Rolled back checkout-api 2024.11.3.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    const pinned = await seen(headline().filter({ hasText: /resolved/ }));
    expect(pinned).toMatch(/Status\s+✅ resolved/);
    expect(pinned).toContain('Resolution: Rolled back checkout-api 2024.11.3.');
    expect(await headline().getByRole('button', { name: 'Resolve' }).count()).toBe(0);
    await shot('resolved');
  });

  it('writes the postmortem into the channel as a file that downloads', async () => {
    await typeInComposer('/incident postmortem');
    const file = messages()
      .locator('.file', { hasText: /postmortem/i })
      .last();
    await file.waitFor({ timeout: 15_000 });
    await file.scrollIntoViewIfNeeded();
    await shot('postmortem');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      file.getByRole('link', { name: /^Download/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^postmortem.*INC-1.*\.md$|^INC-1.*\.md$/i);
    const markdown = readFileSync((await download.path())!, 'utf8');
    expect(markdown).toContain(`# INC-1: ${TITLE}`);
    expect(markdown).toContain('Error rate on /orders');
    expect(markdown).toContain('Rolled back checkout-api 2024.11.3.');
  });
});
