/**
 * The App Home's view model on in-memory ports: incidents SEV-1 first then newest, the viewer's roles, their
 * own open items (a resolved incident's too) by due date then priority with issue and overdue, private
 * incidents only for members of their channel (hidden when Slack cannot say), and the web page's links.
 */
import { describe, expect, it } from 'vitest';
import { homeFacts, homeView, homeViewOf } from '../../src/app/home/home-view.js';
import type { Severity } from '../../src/domain/incident.js';
import { type UnitPorts, unitPorts } from '../support/unit-ports.js';

const T0 = Date.UTC(2026, 11, 7, 9, 0, 0);
const HOUR = 60 * 60 * 1000;

async function incident(
  ports: UnitPorts,
  title: string,
  severity: Severity,
  at: number,
  o: { private?: boolean; channelId?: string } = {},
) {
  const created = await ports.store.incidents.create({
    title,
    severity,
    teamId: 'T0TEAM',
    declaredBy: 'U0ALICE',
    declaredAt: at,
    ...(o.private ? { private: true } : {}),
  });
  await ports.store.incidents.assignRole(created.number, 'ic', 'U0ALICE', 'U0ALICE', at);
  return ports.store.incidents.update(created.number, { channelId: o.channelId ?? `C${created.number}` }, at);
}

async function item(ports: UnitPorts, incidentNumber: number, text: string, o: Record<string, unknown> = {}) {
  return ports.store.actions.add({
    incidentNumber,
    text,
    ownerId: 'U0BOB',
    priority: 'p2',
    due: null,
    createdBy: 'U0ALICE',
    createdAt: T0,
    ...o,
  });
}

describe('the App Home view model', () => {
  it('lists SEV-1 first then the newest, with the roles the viewer holds', async () => {
    const ports = unitPorts({ now: T0 + 5 * HOUR });
    await incident(ports, 'old sev2', 2, T0);
    await incident(ports, 'new sev2', 2, T0 + HOUR);
    const sev1 = await incident(ports, 'sev1', 1, T0 + 2 * HOUR);
    await ports.store.incidents.assignRole(sev1.number, 'scribe', 'U0BOB', 'U0ALICE', T0);
    await ports.store.incidents.assignRole(sev1.number, 'tech', 'U0BOB', 'U0ALICE', T0);
    const bob = await homeView(ports, 'U0BOB');
    expect(bob.incidents.map((i) => [i.incident.title, i.roles])).toEqual([
      ['sev1', ['scribe', 'tech']],
      ['new sev2', []],
      ['old sev2', []],
    ]);
    expect(bob).toMatchObject({
      userId: 'U0BOB',
      now: T0 + 5 * HOUR,
      today: '2026-12-07',
      incidentsUrl: null,
    });
    expect(bob.incidents[0]!.webUrl).toBeNull();
    expect((await homeView(ports, 'U0ALICE')).incidents.map((i) => i.roles)).toEqual([
      ['ic'],
      ['ic'],
      ['ic'],
    ]);
  });

  it("lists the viewer's own open items, a resolved incident's too, the earliest due first, with issue and overdue", async () => {
    const ports = unitPorts({ now: T0 });
    const open = await incident(ports, 'open one', 3, T0);
    const resolved = await incident(ports, 'resolved one', 3, T0);
    await ports.store.incidents.update(resolved.number, { status: 'resolved', resolvedAt: T0 }, T0);
    const undated = await item(ports, open.number, 'no date', { priority: 'p0' });
    const later = await item(ports, resolved.number, 'later', { due: '2026-12-20', priority: 'p3' });
    const overdue = await item(ports, open.number, 'overdue', { due: '2026-12-01' });
    const sameDayP1 = await item(ports, open.number, 'same day p1', { due: '2026-12-20', priority: 'p1' });
    await item(ports, open.number, 'carol owns it', { ownerId: 'U0CAROL' });
    await item(ports, open.number, 'nobody owns it', { ownerId: null });
    const done = await item(ports, open.number, 'done already');
    await ports.store.actions.markDone(done.id, 'U0BOB', T0);
    const issue = {
      tracker: 'github',
      id: '7',
      key: 'acme/app#7',
      url: 'https://github.com/acme/app/issues/7',
    } as const;
    await ports.store.followUps.queue({
      actionId: later.id,
      target: { tracker: 'github', repo: 'acme/app' },
      idempotencyKey: 'k',
      now: T0,
    });
    await ports.store.followUps.claimDue(T0, { owner: 'me', until: T0 + 1000, limit: 10 });
    await ports.store.followUps.markCreated(later.id, 'me', issue, T0);

    const bob = await homeView(ports, 'U0BOB');
    expect(bob.incidents.map((i) => i.incident.title)).toEqual(['open one']);
    expect(bob.actions.map((a) => [a.item.id, a.incident.title, a.overdue, a.issue?.key ?? null])).toEqual([
      [overdue.id, 'open one', true, null],
      [sameDayP1.id, 'open one', false, null],
      [later.id, 'resolved one', false, 'acme/app#7'],
      [undated.id, 'open one', false, null],
    ]);
    expect((await homeView(ports, 'U0DAVE')).actions).toEqual([]);
  });

  it('shows a private incident and its items only to members of its channel, and to nobody when Slack cannot say', async () => {
    const ports = unitPorts({ now: T0 });
    const secret = await incident(ports, 'payroll leak', 1, T0, { private: true, channelId: 'G1' });
    await item(ports, secret.number, 'revoke the link');
    ports.chat.members.set('G1', ['U0ALICE']);
    expect((await homeView(ports, 'U0BOB')).incidents).toEqual([]);
    expect((await homeView(ports, 'U0BOB')).actions).toEqual([]);
    expect((await homeView(ports, 'U0ALICE')).incidents.map((i) => i.incident.title)).toEqual([
      'payroll leak',
    ]);

    const other = unitPorts({ now: T0 });
    const hidden = await incident(other, 'payroll leak', 1, T0, { private: true, channelId: 'G1' });
    await item(other, hidden.number, 'revoke the link');
    other.chat.members.set('G1', ['U0BOB']);
    other.chat.failNext('channelMembers', 'ratelimited');
    other.chat.failNext('channelMembers', 'ratelimited');
    const failClosed = await homeView(other, 'U0BOB');
    expect(failClosed.incidents).toEqual([]);
    expect(failClosed.actions).toEqual([]);
    // once Slack answers, the member sees it
    const answered = await homeView(other, 'U0BOB');
    expect(answered.incidents.map((i) => i.incident.title)).toEqual(['payroll leak']);
    expect(answered.actions.map((a) => a.item.text)).toEqual(['revoke the link']);
  });

  it('links each incident and the incidents page when WEB_BASE_URL is set, one read of facts serving every viewer', async () => {
    const base = unitPorts({ now: T0 });
    const ports = {
      ...base,
      config: { ...base.config, WEB_BASE_URL: 'https://muster.example.com' },
    } as UnitPorts;
    await incident(ports, 'one', 2, T0);
    const facts = await homeFacts(ports);
    const alice = await homeViewOf(ports, facts, 'U0ALICE');
    expect(alice.incidentsUrl).toBe('https://muster.example.com/incidents');
    expect(alice.incidents[0]!.webUrl).toBe('https://muster.example.com/incidents/1');
    expect((await homeViewOf(ports, facts, 'U0BOB')).incidents[0]!.roles).toEqual([]);
  });
});
