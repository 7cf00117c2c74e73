/**
 * Issue 4's reminders, with an injected clock and `tick()` instead of waiting: the update cadence of the
 * severity, one reminder per unfilled role, across restarts (never lost, never repeated), stopped by
 * resolving and restarted by reopening.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FixedClock } from '../support/fixed-clock.js';
import { type Harness, startMuster } from '../support/muster-harness.js';
import { removeTempDirs } from '../support/temp-dir.js';

let h: Harness | null = null;

afterEach(async () => {
  await h?.stop();
  h = null;
});
afterAll(() => removeTempDirs());

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

const start = async (env: Record<string, string> = {}) => {
  const clock = new FixedClock(T0);
  h = await startMuster({ env, clock });
  await h.command('declare sev1 payments are failing', { user: 'U0ALICE' });
  await h.idle();
  return (await h.app.deps.store.incidents.get(1))!.channelId!;
};

/** Moves the clock to `minutes` after declaring and runs the periodic jobs. */
const at = async (minutes: number) => {
  h!.clock.set(T0 + minutes * 60_000);
  await h!.app.tick();
};
const run = async (text: string, channel: string, user = 'U0ALICE') => {
  await h!.command(text, { user, channel });
  await h!.idle();
};
const updateReminders = (channel: string) =>
  h!.slack.workspace
    .messages(channel)
    .filter((m) => m.text.startsWith(':alarm_clock:'))
    .map((m) => m.text);
const roleReminders = (channel: string) =>
  h!.slack.workspace
    .messages(channel)
    .filter((m) => / min in, nobody is /.test(m.text))
    .map((m) => m.text);

describe('reminders', () => {
  it('follow the cadence, survive restarts without repeating, stop on resolve and restart on reopen', async () => {
    const channel = await start();

    // a role left unfilled 10 minutes after declaring gets one reminder, to the commander
    await at(9);
    expect(roleReminders(channel)).toEqual([]);
    await at(10);
    expect(roleReminders(channel)).toEqual([
      ':busts_in_silhouette: <@U0ALICE> 10 min in, nobody is *Communications Lead*, *Scribe*, *Technical Lead* yet. Assign with `/incident role <comms|scribe|tech> @person`.',
    ]);
    await at(11);
    expect(roleReminders(channel)).toHaveLength(1);

    // sev1: 15 min without an update reminds the comms lead
    await run('role comms <@U0BOB>', channel);
    await at(14);
    expect(updateReminders(channel)).toEqual([]);
    await at(15);
    expect(updateReminders(channel)).toEqual([
      ':alarm_clock: <@U0BOB> no update for 15 min on this SEV-1 incident (one every 15 min is expected). Post one with `/incident update <text>`: it also goes to the announcement thread.',
    ]);

    // a restart neither repeats what was sent...
    h = await h!.restart();
    await at(16);
    await at(29);
    expect(updateReminders(channel)).toHaveLength(1);
    // ...and the silence goes on: one more reminder per further cadence
    await at(30);
    expect(updateReminders(channel)).toHaveLength(2);
    expect(updateReminders(channel)[1]).toContain('no update for 30 min');

    // an update restarts the cadence
    h.clock.set(T0 + 31 * 60_000);
    await run('update card payments recovering', channel, 'U0BOB');
    await at(45);
    expect(updateReminders(channel)).toHaveLength(2);
    await at(46);
    expect(updateReminders(channel)).toHaveLength(3);

    // ...nor loses one that fell due while it was stopped
    h.clock.set(T0 + 70 * 60_000);
    h = await h.restart();
    await h.app.tick();
    expect(updateReminders(channel)).toHaveLength(4);
    expect(updateReminders(channel)[3]).toContain('no update for 39 min');
    await at(71);
    expect(updateReminders(channel)).toHaveLength(4);
    expect(roleReminders(channel)).toHaveLength(1);

    // resolved: silence is fine
    await run('resolve', channel);
    await at(300);
    expect(updateReminders(channel)).toHaveLength(4);

    // reopened: the cadence counts from the reopening
    await run('reopen', channel);
    await at(314);
    expect(updateReminders(channel)).toHaveLength(4);
    await at(315);
    expect(updateReminders(channel)).toHaveLength(5);
    expect(updateReminders(channel)[4]).toContain('no update for 15 min');
  });

  it('remind the commander when nobody is comms, follow configured cadences, and sev4 has none', async () => {
    const channel = await start({ UPDATE_CADENCE_MINUTES: '5,30,60,0', ROLE_REMINDER_MINUTES: '0' });
    await at(5);
    expect(updateReminders(channel)).toEqual([
      expect.stringMatching(
        /^:alarm_clock: <@U0ALICE> no update for 5 min on this SEV-1 incident \(one every 5 min/,
      ),
    ]);
    await run('sev 4', channel);
    await at(300);
    expect(updateReminders(channel)).toHaveLength(1);
    expect(roleReminders(channel)).toEqual([]);
  });

  it('a reminder Slack rate-limits is sent at the next run; one to a vanished channel is given up', async () => {
    const channel = await start();
    h!.slack.failNext('chat.postMessage', { error: 'ratelimited', retryAfter: 0, times: 4 });
    await at(15);
    expect(updateReminders(channel)).toEqual([]);
    expect(roleReminders(channel)).toHaveLength(1);
    await at(15);
    expect(updateReminders(channel)).toHaveLength(1);

    h!.slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await at(30);
    await at(31);
    expect(updateReminders(channel)).toHaveLength(1);
    expect(h!.logs.text).toContain('reminder not delivered');
  });
});
