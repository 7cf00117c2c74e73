/**
 * The incidents web page in Debian's Chromium (playwright-core): the list, an incident and the insights page,
 * checked with axe-core (no serious or critical violation, headings in order), used with the keyboard alone,
 * and readable on a laptop (1366 px) without sideways scrolling. Screenshots are kept in
 * test-artifacts/web-pages/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack } from '../fakes/fake-slack.js';
import { type AxeViolation, axeViolations, launchPage } from '../support/chromium.js';
import { FixedClock } from '../support/fixed-clock.js';
import { type Harness, startMuster } from '../support/muster-harness.js';
import { removeTempDirs } from '../support/temp-dir.js';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'web-pages');
const DAY = 86_400_000;

let h: Harness;
let context: BrowserContext;
let page: Page;

const serious = (violations: AxeViolation[]) =>
  violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');

/** Headings as a screen reader lists them: their levels in order. */
const headingLevels = (p: Page) =>
  p.evaluate(`[...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter((e) => e.getClientRects().length > 0).map((e) => Number(e.tagName.slice(1)))`) as Promise<
    number[]
  >;

/** No heading is more than one level below the one before it, and the page starts with an h1. */
function expectHeadingOrder(levels: number[]): void {
  expect(levels[0]).toBe(1);
  for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);
}

const fitsWidth = (p: Page) =>
  p.evaluate(
    'document.documentElement.scrollWidth <= document.documentElement.clientWidth',
  ) as Promise<boolean>;

async function check(name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const violations = await axeViolations(page);
  expect(serious(violations)).toEqual([]);
  expectHeadingOrder(await headingLevels(page));
  expect(await fitsWidth(page)).toBe(true);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // eight weeks of incidents, so that the charts have something to draw
  const clock = new FixedClock(Date.UTC(2026, 9, 5, 9, 0, 0));
  const slack = await startFakeSlack({ clock: () => clock.now() });
  h = await startMuster({
    clock,
    slack,
    overrides: { localWebViewer: { userId: 'U0ALICE', teamId: 'T0MUSTER', name: 'Alice Example' } },
  });
  const story: [sev: number, title: string, minutesToResolve: number][] = [
    [1, 'Checkout returns 500s for card payments', 95],
    [2, 'Search results are stale', 240],
    [3, 'Slow admin pages & <b>reports</b>', 600],
    [2, 'Login emails delayed', 45],
    [1, 'Payments provider outage', 180],
    [4, 'Typo on the status page', 20],
  ];
  for (const [i, [sev, title, minutes]] of story.entries()) {
    await h.command(`declare sev${sev} ${title}`, { user: 'U0ALICE' });
    await h.idle();
    const incident = (await h.app.deps.store.incidents.listOpen()).at(-1)!;
    const ch = incident.channelId!;
    await h.command('note rolled back the deploy, see <https://deploy.example.com/42|build 42>', {
      user: 'U0ALICE',
      channel: ch,
    });
    await h.command(`action add an alert for ${title.split(' ')[0]} <@U0BOB> p1 due 2026-12-01`, {
      user: 'U0ALICE',
      channel: ch,
    });
    h.clock.advance(Math.round(minutes / 2) * 60_000);
    await h.command('status monitoring', { user: 'U0ALICE', channel: ch });
    h.clock.advance(Math.round(minutes / 2) * 60_000);
    if (i < story.length - 1) await h.command('resolve rolled back', { user: 'U0ALICE', channel: ch });
    await h.idle();
    h.clock.advance(9 * DAY);
  }
  // the pages forbid every script (Content-Security-Policy); axe is added by the test, so it may run
  ({ context, page } = await launchPage({ bypassCSP: true }));
});

afterAll(async () => {
  await context?.close();
  await h?.stop();
  removeTempDirs();
});

describe('the incidents web page in Chromium', () => {
  it('lists the incidents, and is used with the keyboard alone to narrow them and open one', async () => {
    await page.goto(`${h.url}/incidents`);
    await check('01-list');
    expect(await page.getByRole('row').count()).toBe(7);
    await expect(page.getByRole('cell', { name: 'Slow admin pages & <b>reports</b>' }).count()).resolves.toBe(
      1,
    );

    // the skip link comes first, then the navigation, then the filters
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    const severity = page.getByLabel('Severity');
    await severity.focus();
    await severity.selectOption('1');
    await page.getByLabel('Status').focus();
    await page.keyboard.press('Tab'); // severity
    await page.keyboard.press('Tab'); // service
    await page.keyboard.press('Tab'); // declared
    await page.keyboard.press('Tab'); // the Show button
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Show');
    await Promise.all([page.waitForURL(/severity=1/), page.keyboard.press('Enter')]);
    expect(await page.getByRole('row').count()).toBe(3);
    await check('02-list-sev1');

    const link = page.getByRole('link', { name: 'INC-5' });
    await link.focus();
    await Promise.all([page.waitForURL(/\/incidents\/5$/), page.keyboard.press('Enter')]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'INC-5: Payments provider outage',
    );
  });

  it('shows an incident: headline, key times, roles, timeline, pages, actions and the postmortem', async () => {
    await page.goto(`${h.url}/incidents/3`);
    await check('03-incident');
    for (const name of ['Key times', 'Roles', 'Timeline', 'Pages', 'Action items', 'Postmortem'])
      expect(await page.getByRole('heading', { name, exact: true, level: 2 }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'build 42' }).first().getAttribute('href')).toBe(
      'https://deploy.example.com/42',
    );
    // the postmortem is rendered, its tables as tables
    expect(await page.locator('article.postmortem table').count()).toBeGreaterThan(0);
    const h1 = await page.getByRole('heading', { level: 1 }).textContent();
    expect(h1).toBe('INC-3: Slow admin pages & <b>reports</b>');
  });

  it('charts the insights: times by severity, incidents per week, action completion, each with its numbers', async () => {
    await page.goto(`${h.url}/incidents/insights`);
    await check('04-insights');
    const charts = page.getByRole('img');
    // nobody was paged: time to acknowledge has no chart, and says why
    expect(await charts.count()).toBe(4);
    expect(await page.getByText('No page was acknowledged in this window').count()).toBe(1);
    expect(await charts.first().getAttribute('aria-labelledby')).toBe('chart-ttm-title chart-ttm-desc');
    // the numbers behind a chart open with the keyboard
    const summary = page.locator('summary', { hasText: 'MTTR per week: the numbers' });
    await summary.focus();
    await page.keyboard.press('Enter');
    expect(await page.getByRole('table').filter({ hasText: 'Week of' }).first().isVisible()).toBe(true);
    await check('05-insights-numbers-open');
    await page.getByRole('combobox', { name: 'Window' }).selectOption('365');
    await Promise.all([page.waitForURL(/days=365/), page.getByRole('button', { name: 'Show' }).click()]);
    expect(await page.locator('.card .value').first().textContent()).toBe('6');
  });
});
