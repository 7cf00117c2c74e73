/**
 * A whole SEV-1 worked in the sandbox page, in Debian's Chromium (playwright-core), on a laptop (1280×720):
 * declare, roles (named with the @-autocomplete), an update, a page (its message quoted, as Slack shows a `>`
 * line), a pin, resolve and the postmortem. Screenshots of every step, and of the whole conversation at
 * 1280×720 and 390 px wide, go to a temporary folder. At both sizes axe-core finds no violation, nothing
 * scrolls sideways, the pinned panel is collapsed and the headline is shown once; the sidebar marks the
 * resolved incident, and severity and status read as words and colour on a machine without an emoji font.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchPage, seen } from '../../../../test/support/chromium.js';
import { removeTempDirs } from '../../../../test/support/temp-dir.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox-harness.js';

const SHOTS = mkdtempSync(join(tmpdir(), 'muster-sev1-story-'));
const TITLE = 'Checkout returns 502 on order placement';

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
  ({ context, page } = await launchPage({ viewport: { width: 1280, height: 720 } }));
});

afterAll(async () => {
  await context?.close();
  await t?.sandbox.stop();
  removeTempDirs();
  rmSync(SHOTS, { recursive: true, force: true });
});

/** The layout facts checked at each size. */
async function layout() {
  return (await page.evaluate(`(() => {
    // a closed <details> hides its content with content-visibility, which checkVisibility sees
    const visible = (e) => e.checkVisibility({ visibilityProperty: true });
    const width = document.documentElement.clientWidth;
    return {
      overflow: document.documentElement.scrollWidth - width,
      wide: [...document.querySelectorAll('body *')].filter((e) => visible(e) && e.getBoundingClientRect().right > width + 0.5).map((e) => e.tagName + '.' + e.className).slice(0, 5),
      pinsOpen: document.getElementById('pins').open,
      headlines: [...document.querySelectorAll('.bk-header')].filter((e) => visible(e) && e.textContent.includes(${JSON.stringify(TITLE)})).length,
    };
  })()`)) as { overflow: number; wide: string[]; pinsOpen: boolean; headlines: number };
}

/** Screenshots of the whole conversation, a screenful at a time from its start; returns their paths. */
async function storyShots(size: string): Promise<string[]> {
  const paths: string[] = [];
  await page.evaluate("document.getElementById('messages').scrollTop = 0");
  for (let i = 0; i < 30; i += 1) {
    paths.push(await shot(`story-${size}-${i + 1}`));
    const moved = await page.evaluate(`(() => {
      const m = document.getElementById('messages');
      const before = m.scrollTop;
      m.scrollTop += m.clientHeight - 40;
      return m.scrollTop !== before;
    })()`);
    if (!moved) break;
  }
  return paths;
}

describe('a SEV-1 in the sandbox page', () => {
  it('declares a SEV-1 and opens its channel, the pinned panel collapsed and the headline shown once', async () => {
    await page.goto(`${t.base}/?as=alice`);
    await seen(page.getByRole('heading', { level: 1 }));
    await send(`/incident declare sev1 ${TITLE}`);
    const sidebar = page.getByRole('navigation', { name: 'Channels' });
    await sidebar.getByRole('link', { name: /inc-1-checkout.*SEV-1/ }).click();
    await seen(page.getByRole('heading', { level: 1, name: /#inc-1-checkout/ }));
    await seen(
      messages()
        .locator('article', { hasText: `INC-1: ${TITLE}` })
        .first(),
    );
    const pins = page.locator('#pins');
    expect(await seen(pins.locator('summary'))).toContain('Pinned (1)');
    expect(await page.evaluate("document.getElementById('pins').open")).toBe(false);
    expect((await layout()).headlines).toBe(1);
    await shot('declared');
    // opened, the panel leaves the conversation and the message box on a 720 px screen
    await pins.locator('summary').click();
    const headline = page.locator('#pins-list article').first();
    await seen(headline.getByRole('button', { name: 'Assign role' }));
    const room = (await page.evaluate(`(() => {
      const box = document.getElementById('composer-input').getBoundingClientRect();
      return { messages: document.getElementById('messages').getBoundingClientRect().height, composerBottom: box.bottom };
    })()`)) as { messages: number; composerBottom: number };
    expect(room.messages).toBeGreaterThanOrEqual(150);
    expect(room.composerBottom).toBeLessThanOrEqual(720);
    await shot('pins-open');
    await pins.locator('summary').click();
  });

  it('names the roles with the @-autocomplete, from the keyboard', async () => {
    await composer().fill('');
    await composer().pressSequentially('/incident role comms @da');
    const list = page.getByRole('listbox', { name: 'People to mention' });
    expect(await seen(list)).toContain('Dave');
    expect(await composer().getAttribute('aria-autocomplete')).toBe('list');
    expect(await composer().getAttribute('aria-controls')).toBe(await list.getAttribute('id'));
    const active = await composer().getAttribute('aria-activedescendant');
    expect(await page.locator(`[id="${active}"]`).getAttribute('aria-selected')).toBe('true');
    expect(await page.locator(`[id="${active}"]`).getAttribute('role')).toBe('option');
    await shot('mention-list');
    await composer().press('Enter');
    expect(await composer().inputValue()).toBe('/incident role comms @dave ');
    await list.waitFor({ state: 'hidden' });
    await composer().press('Enter');
    await page.waitForFunction("document.getElementById('composer-input').value === ''");
    await t.sandbox.idle();
    // Up and Down choose; Tab writes the choice; Escape closes the list and keeps the text
    await composer().pressSequentially('/incident role tech @b');
    await list.waitFor();
    await composer().press('Escape');
    await list.waitFor({ state: 'hidden' });
    expect(await composer().inputValue()).toBe('/incident role tech @b');
    await composer().press('o');
    await list.waitFor();
    await composer().press('Tab');
    expect(await composer().inputValue()).toBe('/incident role tech @bob ');
    await composer().press('Enter');
    await page.waitForFunction("document.getElementById('composer-input').value === ''");
    await t.sandbox.idle();
    await messages().locator('article', { hasText: 'is now the Technical Lead' }).waitFor();
    expect(
      await seen(messages().locator('article', { hasText: 'is now the Communications Lead' })),
    ).toContain('@Dave');
    await shot('roles');
  });

  it('quotes the page message as Slack does, with no ">" left in the text', async () => {
    await send('/incident page payments Card payments fail with 502 at the provider');
    const paged = messages().locator('article', { hasText: 'Paged payments' }).last();
    expect(await seen(paged.locator('blockquote'))).toBe('Card payments fail with 502 at the provider');
    expect(await seen(paged)).not.toMatch(/^>|&gt;/m);
    await shot('paged');
  });

  it('updates, pins, resolves and writes the postmortem; the sidebar marks the incident resolved', async () => {
    await send('/incident update About a third of card orders fail. Rolling back checkout-api.');
    const incident = (await t.sandbox.app.deps.store.incidents.get(1))!;
    t.sandbox.people.say('U0BOB', incident.channelId!, 'Rollback finished; the error rate is back to 0.4%.');
    await t.sandbox.idle();
    const said = messages().locator('article', { hasText: 'Rollback finished' });
    await said.hover();
    await said.getByRole('button', { name: /^React with pushpin/ }).click();
    await said.locator('button.reaction[aria-pressed="true"]').waitFor();
    await shot('pinned');
    await send('/incident resolve Rolled back checkout-api 2024.11.3.');
    const sidebar = page.getByRole('navigation', { name: 'Channels' });
    const entry = sidebar.getByRole('link', { name: /inc-1-checkout/ });
    await sidebar.getByRole('link', { name: /inc-1-checkout.*resolved/ }).waitFor();
    expect(await seen(entry.locator('.side-mark'))).toBe('resolved');
    await shot('resolved');
    await send('/incident postmortem');
    await messages()
      .locator('.file', { hasText: /postmortem/i })
      .last()
      .waitFor({ timeout: 15_000 });
    await shot('postmortem');
  });

  it('reads severity and status as words and colour, without an emoji font', async () => {
    const headline = messages()
      .locator('article', { hasText: `INC-1: ${TITLE}` })
      .first();
    const text = await seen(headline);
    expect(text).toMatch(/Severity\s+\S*\s*SEV-1 \(critical\)/i);
    expect(text).toMatch(/Status\s+\S*\s*resolved/);
    // the severity's circle is a dot of its colour, drawn without any font
    const dot = headline.locator('.emoji.dot').first();
    expect(
      await page.evaluate(
        "getComputedStyle(document.querySelector('#messages .bk-fields .emoji.dot')).backgroundColor",
      ),
    ).toBe('rgb(221, 46, 68)');
    expect(await dot.getAttribute('aria-label')).toBe('red circle');
    // without a colour emoji font (as on this machine's Chromium) an emoji shows its :name:
    const colour = await page.evaluate("document.documentElement.classList.contains('no-colour-emoji')");
    if (colour) {
      expect(
        await page.evaluate(
          `getComputedStyle(document.querySelector('#messages .bk-fields .emoji[data-fallback=":white_check_mark:"]'), '::after').content`,
        ),
      ).toBe('":white_check_mark:"');
    }
  });

  for (const [size, width, height] of [
    ['1280x720', 1280, 720],
    ['390', 390, 844],
  ] as const) {
    it(`shows the whole story at ${size}: no axe violation, nothing sideways, pins collapsed, one headline`, async () => {
      await page.setViewportSize({ width, height });
      await page.reload();
      await messages()
        .locator('.file', { hasText: /postmortem/i })
        .last()
        .waitFor();
      const facts = await layout();
      expect(facts.wide).toEqual([]);
      expect(facts.overflow).toBeLessThanOrEqual(0);
      expect(facts.pinsOpen).toBe(false);
      expect(facts.headlines).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      const paths = await storyShots(size);
      expect(paths.length).toBeGreaterThanOrEqual(2);
      for (const path of paths) {
        expect(existsSync(path)).toBe(true);
        expect(statSync(path).size).toBeGreaterThan(1000);
      }
      expect(readdirSync(SHOTS).filter((f) => f.includes(`story-${size}`))).toHaveLength(paths.length);
    });
  }
});
