/**
 * The App Home on the sandbox page in a real browser (Debian's Chromium driven by playwright-core): a person
 * opens Muster's Home from the sidebar, sees what the app published for them, declares from its button, and
 * sees the Home refreshed with the new incident; the page passes axe's checks with the Home open. A screenshot
 * of each step is kept in test-artifacts/sandbox-home/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchPage, seen } from '../../../../test/support/chromium.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox-harness.js';
import { removeTempDirs } from '../../../../test/support/temp-dir.js';

let t: TestSandbox;
let context: BrowserContext;
let page: Page;

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'sandbox-home');
const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  t = await startTestSandbox({ acknowledgeAfterMs: 200 });
  ({ context, page } = await launchPage());
});

afterAll(async () => {
  await context?.close();
  await t?.sandbox.stop();
  removeTempDirs();
});

describe('the App Home on the sandbox page', () => {
  it('opens from the sidebar with what Muster published for the person', async () => {
    await page.goto(`${t.base}/?as=bob`);
    await page.getByRole('link', { name: 'Muster · Home' }).click();
    const home = page.locator('#home');
    await home.getByText('No open incidents.').waitFor();
    expect(await seen(page.getByRole('heading', { level: 1 }))).toBe('Muster · Home');
    expect(await seen(home)).toContain('No open action items assigned to you.');
    expect(await page.locator('#messages').isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: 'Muster · Home' }).getAttribute('aria-current')).toBe('page');
    expect(new URL(page.url()).searchParams.get('home')).toBe('1');
    expect(await axeViolations(page)).toEqual([]);
    await shot('01-empty-home');
  });

  it('declares from its button, and shows the incident once Muster refreshes it', async () => {
    await page.locator('#home').getByRole('button', { name: 'Declare incident' }).click();
    const dialog = page.getByRole('dialog', { name: 'Declare an incident' });
    await dialog.getByLabel('Title').fill('Search returns nothing');
    await dialog.getByRole('button', { name: 'Declare' }).click();
    await page.locator('#home').getByText('Search returns nothing').waitFor();
    expect(await seen(page.locator('#home'))).toContain('Incident Commander');
    expect(await axeViolations(page)).toEqual([]);
    await shot('02-declared');
  });

  it('goes back to a channel from the sidebar', async () => {
    await page
      .getByRole('navigation', { name: 'Channels' })
      .getByRole('link', { name: /incidents/ })
      .first()
      .click();
    await page.locator('#messages').waitFor();
    expect(await page.locator('#home').isVisible()).toBe(false);
    expect(await page.getByRole('link', { name: 'Muster · Home' }).getAttribute('aria-current')).toBe(
      'false',
    );
  });
});
