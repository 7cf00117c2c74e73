/** An issue's news applied to its action item on in-memory ports: close, reopen, reassign, and nothing twice. */
import { describe, expect, it } from 'vitest';
import { actionItemsMessage } from '../../../src/adapters/slack/blocks/action-items.js';
import { type IssueSync, syncIssue } from '../../../src/app/follow-ups/sync-issue.js';
import { completeAction } from '../../../src/app/postmortem/record-action.js';
import { declared } from '../declared.js';
import { linkedAction } from './linked-action.js';

const ANA = { id: 'acc-ana', name: 'Ana Lima', email: 'ana@example.com' };

async function world() {
  const { ports, incident } = await declared();
  const { item, followUp } = await linkedAction(ports, incident);
  ports.chat.addUser({ id: 'U0ANA', name: 'ana' });
  ports.chat.emails.set('ana@example.com', 'U0ANA');
  const sync = (report: Partial<IssueSync['report']>, reportKey = 'D1', via: IssueSync['via'] = 'webhook') =>
    syncIssue(ports, {
      followUp,
      report: { closed: null, actorName: 'Ana Lima', occurredAt: null, ...report },
      via,
      reportKey,
    });
  const entries = async () =>
    (await ports.store.timeline.ofAction(incident.number, item.id)).map((e) => e.text).slice(1);
  return { ports, incident, item, followUp, sync, entries };
}

describe('syncIssue', () => {
  it('closes the action when its issue closes: done by Muster, one entry, one notice', async () => {
    const { ports, item, sync, entries } = await world();
    ports.clock.advanceMinutes(5);
    const notices = await sync({ closed: true });
    expect(await ports.store.actions.get(item.id)).toMatchObject({
      doneAt: ports.clock.now(),
      doneBy: 'muster',
    });
    expect(await entries()).toEqual([
      'Action item done: alert on index lag (OPS-12 closed in Jira by Ana Lima)',
    ]);
    expect(notices).toEqual([
      expect.objectContaining({
        kind: 'follow_up_synced',
        change: 'closed',
        actorName: 'Ana Lima',
        issue: expect.objectContaining({ key: 'OPS-12' }),
        item: expect.objectContaining({ id: item.id, doneBy: 'muster' }),
      }),
    ]);
    // the actions list names Muster, not a broken mention
    const list = JSON.stringify(actionItemsMessage('INC-1', await ports.store.actions.list(1)));
    expect(list).toContain('done by Muster');
    expect(list).not.toContain('<@muster>');
  });

  it('records the close as done by the Slack user with the closer’s email, when the tracker tells it', async () => {
    const { ports, item, sync } = await world();
    await sync({ closed: true, actorEmail: 'ana@example.com' });
    expect((await ports.store.actions.get(item.id))?.doneBy).toBe('U0ANA');
  });

  it('uses the time the tracker gives for the entry and the completion', async () => {
    const { ports, item, sync } = await world();
    const at = ports.clock.now() - 60_000;
    await sync({ closed: true, occurredAt: at });
    expect((await ports.store.actions.get(item.id))?.doneAt).toBe(at);
    expect((await ports.store.timeline.ofAction(1, item.id)).at(-1)?.occurredAt).toBe(at);
  });

  it('opens a done action again when its issue is reopened', async () => {
    const { ports, item, sync, entries } = await world();
    await sync({ closed: true }, 'D1');
    const notices = await sync({ closed: false, actorName: 'Bob' }, 'D2');
    expect(await ports.store.actions.get(item.id)).toMatchObject({ doneAt: null, doneBy: null });
    expect(await entries()).toEqual([
      'Action item done: alert on index lag (OPS-12 closed in Jira by Ana Lima)',
      'Action item open again: alert on index lag (OPS-12 reopened in Jira by Bob)',
    ]);
    expect(notices.map((n) => n.kind === 'follow_up_synced' && n.change)).toEqual(['reopened']);
  });

  it('gives the action to the Slack user with the new assignee’s email', async () => {
    const { ports, item, sync, entries } = await world();
    const notices = await sync({ assignee: ANA, actorName: 'Bob' });
    expect((await ports.store.actions.get(item.id))?.ownerId).toBe('U0ANA');
    expect(await entries()).toEqual([
      'Action item owner now <@U0ANA>: alert on index lag (OPS-12 assigned to Ana Lima in Jira by Bob)',
    ]);
    expect(notices).toEqual([
      expect.objectContaining({ change: 'reassigned', item: expect.objectContaining({ ownerId: 'U0ANA' }) }),
    ]);
    expect(ports.chat.callsOf('userByEmail')).toEqual([['ana@example.com']]);
  });

  it('keeps the owner when no Slack user has the assignee’s email, and says so on the timeline only', async () => {
    const { ports, item, sync, entries } = await world();
    const stranger = { id: 'acc-x', name: 'Zed <!channel>', email: 'zed@elsewhere.example' };
    const notices = await sync({ assignee: stranger, actorName: null });
    expect((await ports.store.actions.get(item.id))?.ownerId).toBe('U0BOB');
    expect(await entries()).toEqual([
      'Action item owner stays <@U0BOB>: alert on index lag (OPS-12 assigned to Zed &lt;!channel&gt; in Jira, who has no Slack account with the same email)',
    ]);
    expect(notices).toEqual([]);
  });

  it('keeps the owner when the issue is unassigned, or the assignee has no email, or Slack fails', async () => {
    const { ports, item, sync, entries } = await world();
    await sync({ assignee: null }, 'D1');
    await sync({ assignee: { id: 'acc-y', name: 'Yan', email: null } }, 'D2');
    ports.chat.failNext('userByEmail', 'ratelimited');
    await sync({ assignee: ANA }, 'D3');
    expect((await ports.store.actions.get(item.id))?.ownerId).toBe('U0BOB');
    expect(await entries()).toEqual([
      'Action item owner stays <@U0BOB>: alert on index lag (OPS-12 unassigned in Jira by Ana Lima)',
      'Action item owner stays <@U0BOB>: alert on index lag (OPS-12 assigned to Yan in Jira by Ana Lima, who has no Slack account with the same email)',
      'Action item owner stays <@U0BOB>: alert on index lag (OPS-12 assigned to Ana Lima in Jira by Ana Lima, who has no Slack account with the same email)',
    ]);
  });

  it('changes nothing and tells nothing when the news is what the action already says', async () => {
    const { ports, incident, item, sync, entries } = await world();
    const before = (await ports.store.timeline.list(incident.number)).length;
    ports.chat.addUser({ id: 'U0BOB', name: 'bob' });
    ports.chat.emails.set('bob@example.com', 'U0BOB');
    expect(await sync({ closed: false })).toEqual([]);
    expect(await sync({ assignee: { id: 'acc-bob', name: 'Bob', email: 'bob@example.com' } })).toEqual([]);
    await completeAction(ports, item.id, 'U0ALICE');
    expect(await sync({ closed: true }, 'D9')).toEqual([]);
    expect((await ports.store.actions.get(item.id))?.doneBy).toBe('U0ALICE');
    expect(await entries()).toEqual(['Action item done: alert on index lag']);
    // only the Slack completion was added
    expect((await ports.store.timeline.list(incident.number)).length).toBe(before + 1);
  });

  it('applies a report once, even when it comes again after the action changed', async () => {
    const { ports, item, sync, entries } = await world();
    await sync({ closed: true }, 'D1');
    await sync({ closed: false }, 'D2');
    // D1 again (a redelivery that got past the inbox): already applied, so it changes nothing
    expect(await sync({ closed: true }, 'D1')).toEqual([]);
    expect((await ports.store.actions.get(item.id))?.doneAt).toBeNull();
    expect(await entries()).toEqual([
      'Action item done: alert on index lag (OPS-12 closed in Jira by Ana Lima)',
      'Action item open again: alert on index lag (OPS-12 reopened in Jira by Ana Lima)',
    ]);
  });

  it('from the poll: an unmapped or missing assignee is not news, a mapped one is', async () => {
    const { ports, item, sync, entries } = await world();
    expect(await sync({ closed: false, assignee: null }, 'p1', 'poll')).toEqual([]);
    expect(
      await sync({ closed: false, assignee: { ...ANA, email: 'nobody@x.example' } }, 'p2', 'poll'),
    ).toEqual([]);
    const notices = await sync({ closed: true, assignee: ANA, actorName: null }, 'p3', 'poll');
    expect(notices.map((n) => n.kind === 'follow_up_synced' && n.change)).toEqual(['closed', 'reassigned']);
    expect(await ports.store.actions.get(item.id)).toMatchObject({ ownerId: 'U0ANA', doneBy: 'muster' });
    expect(await entries()).toEqual([
      'Action item done: alert on index lag (OPS-12 closed in Jira)',
      'Action item owner now <@U0ANA>: alert on index lag (OPS-12 assigned to Ana Lima in Jira)',
    ]);
  });

  it('stores nothing when the step run in its transaction says the report was applied already', async () => {
    const { ports, item, followUp } = await world();
    const notices = await syncIssue(
      ports,
      {
        followUp,
        report: { closed: true, actorName: null, occurredAt: null },
        via: 'webhook',
        reportKey: 'D1',
      },
      async () => false,
    );
    expect(notices).toEqual([]);
    expect((await ports.store.actions.get(item.id))?.doneAt).toBeNull();
  });

  it('rolls the whole change back when the store fails in the middle', async () => {
    const { ports, item, followUp } = await world();
    await expect(
      syncIssue(
        ports,
        {
          followUp,
          report: { closed: true, actorName: null, occurredAt: null },
          via: 'webhook',
          reportKey: 'D1',
        },
        async () => {
          await ports.store.followUps.markChecked(item.id, 42);
          throw new Error('disk full');
        },
      ),
    ).rejects.toThrow('disk full');
    expect((await ports.store.followUps.get(item.id))?.checkedAt).toBeNull();
    expect((await ports.store.actions.get(item.id))?.doneAt).toBeNull();
  });
});
