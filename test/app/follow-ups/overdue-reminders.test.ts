/**
 * The weekly DM of overdue follow-ups, on in-memory ports with the clock moved by hand: due from Monday 09:00 in
 * INCIDENT_TIMEZONE, once per owner and ISO week, again the next week; off when FOLLOW_UP_REMINDER=off; items
 * not yet due, done or without an owner left out; the claim given back when Slack could not take the DM.
 */
import { describe, expect, it } from 'vitest';
import { declareIncident } from '../../../src/app/incident/declare-incident.js';
import { dueOverdueReminders, overdueRemindersJob } from '../../../src/app/follow-ups/overdue-reminders.js';
import { workspaceDay } from '../../../src/app/follow-ups/workspace-calendar.js';
import { followUpNotices } from '../../../src/adapters/slack/notices/follow-up.js';
import { loadConfig } from '../../../src/config.js';
import type { Priority } from '../../../src/domain/command.js';
import type { Incident } from '../../../src/domain/incident.js';
import { type UnitPorts, unitPorts } from '../../support/unit-ports.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Monday 30 November 2026, 09:00 UTC. */
const MONDAY_9 = Date.UTC(2026, 10, 30, 9, 0);

const withConfig = (ports: UnitPorts, env: Record<string, string>): UnitPorts => ({
  ...ports,
  config: loadConfig({ SLACK_BOT_TOKEN: 'xoxb-unit', SLACK_SIGNING_SECRET: 'unit-signing-secret', ...env }),
});

async function world(env: Record<string, string> = {}) {
  const ports = withConfig(unitPorts({ now: MONDAY_9 - 30 * DAY }), env);
  const declare = (title: string, isPrivate = false): Promise<Incident> =>
    declareIncident(ports, { title, severity: 2, teamId: 'T0TEAM', userId: 'U0ALICE', private: isPrivate });
  const add = (
    incident: Incident,
    text: string,
    ownerId: string | null,
    due: string | null,
    priority: Priority = 'p2',
  ) =>
    ports.store.actions.add({
      incidentNumber: incident.number,
      text,
      ownerId,
      priority,
      due,
      createdBy: 'U0ALICE',
      createdAt: ports.clock.now(),
    });
  return { ports, declare, add };
}

const summary = (notices: Awaited<ReturnType<typeof dueOverdueReminders>>) =>
  notices.map((n) => [n.ownerId, n.week, n.items.map((i) => [i.incident.number, i.item.text])]);

describe('the weekly reminder of overdue follow-ups', () => {
  it('waits for Monday 09:00, tells each owner once that week, and again the next week', async () => {
    const { ports, declare, add } = await world();
    const db = await declare('db failover was slow');
    const search = await declare('search is slow');
    await add(db, 'alert on replica lag', 'U0BOB', '2026-11-20', 'p1');
    await add(search, 'index lag dashboard', 'U0BOB', '2026-11-27');
    await add(db, 'document the failover', 'U0CAROL', '2026-11-01');
    // Monday, 08:59 UTC: the new week has begun, its reminder hour not yet
    ports.clock.set(MONDAY_9 - 60_000);
    expect(await dueOverdueReminders(ports)).toEqual([]);

    ports.clock.set(MONDAY_9);
    expect(summary(await dueOverdueReminders(ports))).toEqual([
      [
        'U0BOB',
        '2026-W49',
        [
          [1, 'alert on replica lag'],
          [2, 'index lag dashboard'],
        ],
      ],
      ['U0CAROL', '2026-W49', [[1, 'document the failover']]],
    ]);
    ports.clock.advance(HOUR);
    expect(await dueOverdueReminders(ports)).toEqual([]);
    ports.clock.set(MONDAY_9 + 6 * DAY);
    expect(await dueOverdueReminders(ports)).toEqual([]);

    // the next ISO week: both are still late
    ports.clock.set(MONDAY_9 + 7 * DAY);
    expect(summary(await dueOverdueReminders(ports)).map(([owner, week]) => [owner, week])).toEqual([
      ['U0BOB', '2026-W50'],
      ['U0CAROL', '2026-W50'],
    ]);
  });

  it('leaves out items not yet due, due today, done, or without an owner', async () => {
    const { ports, declare, add } = await world();
    const incident = await declare('db failover was slow');
    await add(incident, 'due today', 'U0BOB', '2026-11-30');
    await add(incident, 'due next week', 'U0BOB', '2026-12-07');
    await add(incident, 'no due date', 'U0BOB', null);
    await add(incident, 'nobody owns it', null, '2026-11-01');
    const done = await add(incident, 'done already', 'U0CAROL', '2026-11-01');
    await ports.store.actions.markDone(done.id, 'U0CAROL', ports.clock.now());
    await add(incident, 'late', 'U0BOB', '2026-11-29');
    ports.clock.set(MONDAY_9);
    expect(summary(await dueOverdueReminders(ports))).toEqual([['U0BOB', '2026-W49', [[1, 'late']]]]);
  });

  it('says nothing when no one is late, and nothing at all when the reminder is off', async () => {
    const quiet = await world();
    quiet.ports.clock.set(MONDAY_9);
    expect(await dueOverdueReminders(quiet.ports)).toEqual([]);

    const off = await world({ FOLLOW_UP_REMINDER: 'off' });
    await off.add(await off.declare('db failover was slow'), 'late', 'U0BOB', '2026-11-01');
    off.ports.clock.set(MONDAY_9 + DAY);
    expect(await dueOverdueReminders(off.ports)).toEqual([]);
    // nothing was claimed: turned on again, the owner is told
    expect(await off.ports.store.actions.claimOwnerReminder('U0BOB', '2026-W49', off.ports.clock.now())).toBe(
      true,
    );
  });

  it('reads Monday 09:00 and "today" in INCIDENT_TIMEZONE', async () => {
    const { ports, declare, add } = await world({ INCIDENT_TIMEZONE: 'America/Los_Angeles' });
    // due Sunday the 29th: late from Monday the 30th in Los Angeles, which is 08:00 UTC on the 30th
    await add(await declare('db failover was slow'), 'late', 'U0BOB', '2026-11-29');
    // Monday 09:00 UTC is 01:00 in Los Angeles: not yet
    ports.clock.set(MONDAY_9);
    expect(await dueOverdueReminders(ports)).toEqual([]);
    // Monday 09:00 PST is 17:00 UTC
    ports.clock.set(Date.UTC(2026, 10, 30, 17, 0) - 60_000);
    expect(await dueOverdueReminders(ports)).toEqual([]);
    ports.clock.set(Date.UTC(2026, 10, 30, 17, 0));
    expect(summary(await dueOverdueReminders(ports))).toEqual([['U0BOB', '2026-W49', [[1, 'late']]]]);
  });

  it('names ISO weeks by their week-numbering year', () => {
    expect(workspaceDay(Date.UTC(2027, 0, 1, 10), 'UTC')).toEqual({
      today: '2027-01-01',
      week: '2026-W53',
      weeklyReminderDue: true,
    });
    expect(workspaceDay(Date.UTC(2027, 0, 4, 8, 59), 'UTC')).toEqual({
      today: '2027-01-04',
      week: '2027-W01',
      weeklyReminderDue: false,
    });
    // Sunday 23:30 in UTC is already Monday 08:30 in Tokyo: the new week, before its reminder hour
    expect(workspaceDay(Date.UTC(2026, 10, 29, 23, 30), 'Asia/Tokyo')).toMatchObject({
      today: '2026-11-30',
      week: '2026-W49',
      weeklyReminderDue: false,
    });
  });

  it("carries each item's incident, a private one too, and its issue", async () => {
    const { ports, declare, add } = await world();
    const incident = await declare('payroll export leaked', true);
    const item = await add(incident, 'rotate the export key', 'U0BOB', '2026-11-01');
    await add(incident, 'no issue yet', 'U0BOB', '2026-11-02');
    await ports.store.followUps.queue({
      actionId: item.id,
      target: { tracker: 'github', repo: 'acme/payroll' },
      idempotencyKey: `muster-T0TEAM-action-${item.id}`,
      now: ports.clock.now(),
    });
    await ports.store.followUps.claimDue(ports.clock.now(), {
      owner: 'w',
      until: ports.clock.now() + 60_000,
      limit: 5,
    });
    const issue = {
      tracker: 'github' as const,
      id: '12',
      key: 'acme/payroll#12',
      url: 'https://github.com/acme/payroll/issues/12',
    };
    expect(await ports.store.followUps.markCreated(item.id, 'w', issue, ports.clock.now())).toBe(true);
    ports.clock.set(MONDAY_9);
    const [notice] = await dueOverdueReminders(ports);
    expect(notice!.items.map((i) => [i.incident.private, i.item.text, i.issue])).toEqual([
      [true, 'rotate the export key', issue],
      [true, 'no issue yet', null],
    ]);
  });

  it('claims once across two instances: only the claimer tells the owner', async () => {
    const { ports, declare, add } = await world();
    await add(await declare('db failover was slow'), 'late', 'U0BOB', '2026-11-01');
    ports.clock.set(MONDAY_9);
    const first = overdueRemindersJob();
    const second = overdueRemindersJob();
    await Promise.all([first(ports), second(ports)]);
    await first(ports);
    await second(ports);
    expect(ports.notifier.of('follow_ups_overdue').map((n) => n.ownerId)).toEqual(['U0BOB']);
  });

  it('gives the claim back when Slack could not take the DM, so the next run sends it', async () => {
    const { ports, declare, add } = await world();
    await add(await declare('db failover was slow'), 'late', 'U0BOB', '2026-11-01');
    ports.clock.set(MONDAY_9);
    const [notice] = await dueOverdueReminders(ports);
    ports.chat.failNext('post', 'ratelimited');
    await expect(followUpNotices.follow_ups_overdue(notice!, ports)).rejects.toThrow(/ratelimited/);

    ports.clock.advanceMinutes(1);
    const [again] = await dueOverdueReminders(ports);
    expect(again?.ownerId).toBe('U0BOB');
    await followUpNotices.follow_ups_overdue(again!, ports);
    const posts = ports.chat.callsOf('post');
    expect(posts.map(([channel]) => channel)).toEqual(['U0BOB', 'U0BOB']);
    expect(String((posts[1]![1] as { text: string }).text)).toContain('You own 1 open action item past due');
    expect(await dueOverdueReminders(ports)).toEqual([]);
  });

  it('keeps the claim when Slack refuses the DM for good (a deactivated owner), so it is not retried all week', async () => {
    const { ports, declare, add } = await world();
    await add(await declare('db failover was slow'), 'late', 'U0BOB', '2026-11-01');
    ports.clock.set(MONDAY_9);
    const [notice] = await dueOverdueReminders(ports);
    ports.chat.failNext('post', 'user_not_found');
    await expect(followUpNotices.follow_ups_overdue(notice!, ports)).rejects.toThrow(/user_not_found/);
    ports.clock.advanceMinutes(1);
    expect(await dueOverdueReminders(ports)).toEqual([]);
  });
});
