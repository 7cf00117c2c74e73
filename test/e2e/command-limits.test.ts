/**
 * One runaway user cannot starve an incident: each person has their own command limit under a larger
 * workspace ceiling, and `declare`, `resolve` and `page` never wait for anyone else's traffic. Over signed
 * HTTP with the real app; the clock stands still unless the test moves it, so no bucket refills by itself.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type IncidentChannel, openIncident } from '../support/incident-channel.js';
import type { HttpAnswer } from '../support/muster-harness.js';
import { headlinePress } from '../support/slack-interactions.js';
import { removeTempDirs } from '../support/temp-dir.js';

let c: IncidentChannel | null = null;
afterEach(async () => {
  await c?.h.stop().catch(() => {});
  c = null;
});
afterAll(() => removeTempDirs());

const text = (a: HttpAnswer) => String(a.json?.text ?? '');
const refused = (a: HttpAnswer) => text(a).startsWith(':hourglass: Your command was not run');
const PERSONAL =
  ':hourglass: Your command was not run: you are sending commands faster than Muster accepts from one person ' +
  '(120 a minute). Try again in 1 second. `declare`, `resolve` and `page` still go through.';

/** Runs `count` sends, `parallel` at a time, and returns their answers in order. */
async function flood(
  count: number,
  parallel: number,
  send: (i: number) => Promise<HttpAnswer>,
): Promise<HttpAnswer[]> {
  const out: HttpAnswer[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await send(i);
      }
    }),
  );
  return out;
}

describe('command limits', () => {
  it("opens another user's sev1 while one user sends 300 commands, and tells the runaway user what happened to them", async () => {
    c = await openIncident();
    const { h } = c;
    // Carol declares while Bob's script is in full flow: halfway through, long after his first 60.
    let carol: Promise<HttpAnswer> | null = null;
    const answers = await flood(300, 12, (i) => {
      if (i === 150) carol = h.command('declare sev1 Payments are failing', { user: 'U0CAROL' });
      return c!.command(`note scripted ${i}`, 'U0BOB');
    });
    const declared = await carol!;
    await h.idle();

    expect(refused(declared)).toBe(false);
    const payments = (await h.app.deps.store.incidents.listOpen()).find(
      (i) => i.title === 'Payments are failing',
    )!;
    expect(payments).toMatchObject({ severity: 1, declaredBy: 'U0CAROL' });
    expect(payments.channelId).toBeTruthy();
    expect(
      h.slack
        .callsTo('conversations.create')
        .some((x) => String(x.args.name).includes('payments-are-failing')),
    ).toBe(true);

    // Bob had his own 60 (half a minute of 120) and not one more; each refusal says so, and when to retry.
    expect(answers.filter((a) => !refused(a))).toHaveLength(60);
    const refusals = answers.filter(refused);
    expect(refusals).toHaveLength(240);
    for (const a of refusals)
      expect({ status: a.status, text: text(a), type: a.json?.response_type }).toEqual({
        status: 200,
        text: PERSONAL,
        type: 'ephemeral',
      });
    expect(
      (await c.entries()).filter((e) => e.kind === 'note' && e.text.startsWith('scripted')),
    ).toHaveLength(60);

    // Dave's ordinary command works: the workspace is far below its ceiling (1,200 a minute).
    const dave = await c.command('note Dave checked the payment provider status page', 'U0DAVE');
    expect(refused(dave)).toBe(false);
    await h.idle();
    expect((await c.entries()).some((e) => e.text === 'Dave checked the payment provider status page')).toBe(
      true,
    );

    // Bob himself, over his limit, still gets a declare and a page through, and his buttons work.
    const bobDeclares = await h.command('declare sev2 Bob sees a second problem', { user: 'U0BOB' });
    expect(refused(bobDeclares)).toBe(false);
    expect(refused(await c.command('page checkout', 'U0BOB'))).toBe(false);
    expect(refused(await c.command('timeline', 'U0BOB'))).toBe(true);
    const pressed = await h.interact(headlinePress(h, c.incident, 'headline.status', 'U0BOB'));
    expect(pressed.status).toBe(200);
    await h.idle();
    expect(h.slack.lastCall('views.open')).toBeTruthy();

    // Half a second later Bob has one command again (120 a minute is one every half second).
    h.clock.advance(500);
    expect(refused(await c.command('note back to normal pace', 'U0BOB'))).toBe(false);
    expect(refused(await c.command('note too soon', 'U0BOB'))).toBe(true);
    expect(await h.metrics()).toMatch(/muster_commands_total\{command="any",outcome="rate_limited"\} 242\b/);
  });

  it('refuses ordinary commands over the workspace ceiling, never a declare, resolve or page', async () => {
    c = await openIncident({ env: { COMMANDS_PER_MINUTE: '20', COMMANDS_PER_MINUTE_WORKSPACE: '40' } });
    const { h } = c;
    // Each person may burst 10, the workspace 20 (half a minute of each).
    const bob = await flood(15, 4, (i) => c!.command(`note bob ${i}`, 'U0BOB'));
    expect(bob.filter(refused).map(text)).toEqual(
      Array(5).fill(
        ':hourglass: Your command was not run: you are sending commands faster than Muster accepts from one person ' +
          '(20 a minute). Try again in 3 seconds. `declare`, `resolve` and `page` still go through.',
      ),
    );
    // Carol is below her own limit and below the ceiling: all ten go through, and the workspace is full.
    const carol = await flood(10, 4, (i) => c!.command(`note carol ${i}`, 'U0CAROL'));
    expect(carol.filter(refused)).toHaveLength(0);

    // Dave has sent nothing, but the workspace is over its ceiling: his note waits, and says why.
    const dave = await c.command('note from dave', 'U0DAVE');
    expect(text(dave)).toBe(
      ':hourglass: Your command was not run: this workspace is sending Muster more than 40 commands a minute all ' +
        'together right now. Try again in 2 seconds. `declare`, `resolve` and `page` still go through.',
    );
    // …while his declare, a page and a resolve go through, the ceiling notwithstanding.
    const declared = await h.command('declare sev1 Login is down', { user: 'U0DAVE' });
    expect(refused(declared)).toBe(false);
    expect(refused(await c.command('page checkout', 'U0DAVE'))).toBe(false);
    expect(refused(await c.command('status resolved', 'U0EVE'))).toBe(false);
    expect(refused(await c.command('resolve rolled back the deploy', 'U0DAVE'))).toBe(false);
    await h.idle();
    expect((await h.app.deps.store.incidents.listOpen()).some((i) => i.title === 'Login is down')).toBe(true);
    expect((await h.app.deps.store.incidents.byChannel(c.channel))!.status).toBe('resolved');
    // Another workspace has its own ceiling.
    expect(refused(await h.command('list', { user: 'U0DAVE', team: 'T0OTHER' }))).toBe(false);
    // Two seconds later the workspace has room again.
    h.clock.advance(2000);
    expect(refused(await c.command('note from dave, later', 'U0DAVE'))).toBe(false);
    const m = await h.metrics();
    expect(m).toMatch(/muster_commands_total\{command="any",outcome="rate_limited"\} 5\b/);
    expect(m).toMatch(/muster_commands_total\{command="any",outcome="workspace_rate_limited"\} 1\b/);
  });

  it('keeps 10 declare, resolve and page commands a minute for a person over their own limit, and no more', async () => {
    c = await openIncident({ env: { COMMANDS_PER_MINUTE: '20' } });
    const { h } = c;
    const notes = await flood(10, 4, (i) => c!.command(`note ${i}`, 'U0BOB'));
    expect(notes.filter(refused)).toHaveLength(0);
    expect(refused(await c.command('note one too many', 'U0BOB'))).toBe(true);
    // A script looping on `resolve` outside any incident: ten answers, then refusals.
    const loop = await flood(12, 4, () => h.command('resolve', { user: 'U0BOB' }));
    expect(loop.filter((a) => !refused(a)).map(text)).toEqual(
      Array(10).fill(expect.stringContaining('acts on an incident: run it in the incident')),
    );
    expect(loop.filter(refused).map(text)).toEqual(
      Array(2).fill(
        ':hourglass: Your command was not run: you have used up your own command limit, and the 10 `declare`, ' +
          '`resolve` and `page` commands a minute kept for you beyond it. Try again in 6 seconds.',
      ),
    );
    // A usage mistake in a declare counts as a declare.
    expect(refused(await h.command('declare sev9 wrong severity', { user: 'U0BOB' }))).toBe(true);
    h.clock.advance(6000);
    const declared = await h.command('declare sev1 Bob is back', { user: 'U0BOB' });
    expect(refused(declared)).toBe(false);
    await h.idle();
    expect((await h.app.deps.store.incidents.listOpen()).some((i) => i.title === 'Bob is back')).toBe(true);
  });

  it('does not limit buttons and forms: Slack sends them only for a person clicking', async () => {
    c = await openIncident({ env: { COMMANDS_PER_MINUTE: '20', COMMANDS_PER_MINUTE_WORKSPACE: '20' } });
    const { h } = c;
    await flood(30, 4, (i) => c!.command(`note ${i}`, 'U0BOB'));
    expect(refused(await c.command('note over', 'U0CAROL'))).toBe(true);
    // Over his own limit and over the workspace's, Bob's and Carol's button presses are served.
    for (const user of ['U0BOB', 'U0CAROL']) {
      const before = h.slack.callsTo('views.open').length;
      const pressed = await h.interact(headlinePress(h, c.incident, 'headline.update', user));
      expect(pressed.status).toBe(200);
      await h.idle();
      expect(h.slack.callsTo('views.open')).toHaveLength(before + 1);
    }
  });
});
