/**
 * `/incident actions --all` as a use case, on in-memory ports: open items across incidents grouped by incident,
 * each with its issue and whether it is overdue (in INCIDENT_TIMEZONE); a private incident's items only for
 * members of its channel, and hidden when Slack cannot say who they are.
 */
import { describe, expect, it } from 'vitest';
import { declareIncident } from '../../../src/app/incident/declare-incident.js';
import { openActions } from '../../../src/app/follow-ups/open-actions.js';
import type { Incident } from '../../../src/domain/incident.js';
import { unitPorts } from '../../support/unit-ports.js';

const NOW = Date.UTC(2026, 10, 30, 12, 0);

async function world() {
  const ports = unitPorts({ now: NOW });
  const declare = (title: string, isPrivate = false): Promise<Incident> =>
    declareIncident(ports, { title, severity: 2, teamId: 'T0TEAM', userId: 'U0ALICE', private: isPrivate });
  const add = (incident: Incident, text: string, due: string | null = null) =>
    ports.store.actions.add({
      incidentNumber: incident.number,
      text,
      ownerId: 'U0BOB',
      priority: 'p2',
      due,
      createdBy: 'U0ALICE',
      createdAt: ports.clock.now(),
    });
  return { ports, declare, add };
}

describe('open action items across incidents', () => {
  it('groups the open items by incident, marks the overdue ones, and carries their issues', async () => {
    const { ports, declare, add } = await world();
    const db = await declare('db failover was slow');
    const search = await declare('search is slow');
    await declare('nothing to do here');
    const late = await add(db, 'alert on replica lag', '2026-11-29');
    await add(db, 'due today', '2026-11-30');
    const done = await add(search, 'done already');
    await ports.store.actions.markDone(done.id, 'U0BOB', NOW);
    await add(search, 'index lag dashboard');
    await ports.store.followUps.queue({
      actionId: late.id,
      target: { tracker: 'linear', team: 'ENG' },
      idempotencyKey: `muster-T0TEAM-action-${late.id}`,
      now: NOW,
    });
    await ports.store.followUps.claimDue(NOW, { owner: 'w', until: NOW + 60_000, limit: 5 });
    const issue = {
      tracker: 'linear' as const,
      id: 'uuid-1',
      key: 'ENG-1',
      url: 'https://linear.app/acme/issue/ENG-1',
    };
    await ports.store.followUps.markCreated(late.id, 'w', issue, NOW);

    const view = await openActions(ports, 'U0CAROL');
    expect(view.today).toBe('2026-11-30');
    expect(
      view.incidents.map((g) => [
        g.incident.number,
        g.actions.map((a) => [a.item.text, a.overdue, a.issue?.key ?? null]),
      ]),
    ).toEqual([
      [
        1,
        [
          ['alert on replica lag', true, 'ENG-1'],
          ['due today', false, null],
        ],
      ],
      [2, [['index lag dashboard', false, null]]],
    ]);
  });

  it("shows a private incident's items to members of its channel only, and hides them when Slack cannot say", async () => {
    const { ports, declare, add } = await world();
    const open = await declare('search is slow');
    // provisioning gives a private incident its channel; the use case only reads it
    const secret = await ports.store.incidents.update(
      (await declare('payroll export leaked', true)).number,
      { channelId: 'C0SECRET' },
      NOW,
    );
    await add(open, 'index lag dashboard');
    await add(secret, 'rotate the export key');
    ports.chat.members.set(secret.channelId!, ['U0ALICE', 'U0BOB']);

    const numbers = async (user: string) =>
      (await openActions(ports, user)).incidents.map((g) => g.incident.number);
    expect(await numbers('U0BOB')).toEqual([1, 2]);
    expect(await numbers('U0CAROL')).toEqual([1]);

    ports.clock.advanceMinutes(5);
    ports.chat.failNext('channelMembers', 'internal_error');
    expect(await numbers('U0ALICE')).toEqual([1]);
  });
});
