/**
 * The impact times through Slack's forms: the declare modal's "Impact started" field and the headline's
 * "Impact times" button, its modal, its field errors, and the headline saying when impact began.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type Harness, startMuster } from '../support/muster-harness.js';
import { FixedClock } from '../support/fixed-clock.js';
import { headlinePress, lastView, submission } from '../support/slack-interactions.js';
import { removeTempDirs } from '../support/temp-dir.js';

/** 2026-11-23 in Berlin (UTC+1). */
const berlin = (hh: number, mm: number): number => Date.UTC(2026, 10, 23, hh - 1, mm);

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});
afterAll(() => removeTempDirs());

describe('impact times in the forms', () => {
  it('are given when declaring, refused when impossible, and edited from the headline', async () => {
    h = await startMuster({
      clock: new FixedClock(berlin(15, 21)),
      env: { INCIDENT_TIMEZONE: 'Europe/Berlin' },
    });
    await h.command('declare', { user: 'U0ALICE', channel: 'C0GENERAL' });
    await h.idle();
    const declareView = lastView(h);
    expect(JSON.stringify(declareView.view.blocks)).toContain('"block_id":"impact"');
    const fields = (impact: string | null) => ({
      title: { text: 'checkout 502s' },
      severity: { option: '2' },
      impact: { text: impact },
    });
    for (const [typed, error] of [
      ['15:30', '2026-11-23 15:30 is in the future'],
      ['lunchtime', '"lunchtime" is not a time'],
    ] as const) {
      const refused = await h.interact(submission(declareView, fields(typed)));
      expect(refused.json).toMatchObject({ response_action: 'errors' });
      expect(String((refused.json as { errors: Record<string, string> }).errors.impact)).toContain(error);
    }
    expect(await h.app.deps.store.incidents.all()).toEqual([]);
    expect((await h.interact(submission(declareView, fields('15:10')))).status).toBe(200);
    await h.idle();
    let incident = (await h.app.deps.store.incidents.get(1))!;
    expect(incident).toMatchObject({ impactStartedAt: berlin(15, 10), detectedAt: null });
    expect((await h.app.deps.store.timeline.list(1)).map((e) => e.text)).toContain(
      'Impact start set to 2026-11-23 15:10 (Europe/Berlin)',
    );
    const headline = JSON.stringify(
      h.slack.lastCall('chat.update')?.args.blocks ?? h.slack.lastCall('chat.postMessage')?.args.blocks,
    );
    expect(headline).toContain(`*Impact began*\\n<!date^${berlin(15, 10) / 1000}^`);
    expect(headline).toContain('"action_id":"headline.times"');

    h.clock.set(berlin(15, 25));
    expect((await h.interact(headlinePress(h, incident, 'headline.times'))).status).toBe(200);
    await h.idle();
    const timesView = lastView(h);
    expect(timesView.view.callback_id).toBe('incident.times');
    expect(JSON.stringify(timesView.view.blocks)).toContain('"initial_value":"2026-11-23 15:10"');
    // detection after the declaration is refused on its own field
    const late = await h.interact(
      submission(timesView, { impact: { text: '2026-11-23 15:10' }, detected: { text: '15:22' } }),
    );
    expect(String((late.json as { errors: Record<string, string> }).errors.detected)).toContain(
      'after the declaration',
    );
    const saved = await h.interact(
      submission(timesView, { impact: { text: '15:08' }, detected: { text: '-13m' } }, 'U0BOB'),
    );
    expect(saved).toMatchObject({ status: 200, text: '' });
    await h.idle();
    incident = (await h.app.deps.store.incidents.get(1))!;
    expect(incident).toMatchObject({ impactStartedAt: berlin(15, 8), detectedAt: berlin(15, 12) });
    expect((await h.app.deps.store.timeline.list(1)).slice(-2).map((e) => [e.actor, e.text])).toEqual([
      ['U0BOB', 'Impact start set to 2026-11-23 15:08 (Europe/Berlin), was 2026-11-23 15:10 (Europe/Berlin)'],
      ['U0BOB', 'Detection set to 2026-11-23 15:12 (Europe/Berlin)'],
    ]);
  });
});
