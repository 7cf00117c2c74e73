/** INCIDENT_POLICY in the lifecycle use cases, on in-memory ports: a refusal stores nothing and tells nothing. */
import { describe, expect, it } from 'vitest';
import { changeSeverity } from '../../src/app/incident/change-severity.js';
import { changeStatus } from '../../src/app/incident/change-status.js';
import { reopenIncident } from '../../src/app/incident/reopen-incident.js';
import { resolveIncident } from '../../src/app/incident/resolve-incident.js';
import { loadConfig } from '../../src/config.js';
import { DomainError } from '../../src/domain/errors.js';
import { declared } from './declared.js';

/** INC-1 declared by Alice (its commander), under INCIDENT_POLICY=responders. */
async function underResponders() {
  const { ports } = await declared();
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-unit',
    SLACK_SIGNING_SECRET: 'unit-signing-secret',
    INCIDENT_POLICY: 'responders',
  });
  return { ...ports, config };
}

const WHO = '<@U0ALICE> (commander; declared it). INCIDENT_POLICY is responders.';

describe('the lifecycle use cases under INCIDENT_POLICY=responders', () => {
  it.each([
    [
      'changeSeverity',
      'change its severity',
      (p: Awaited<ReturnType<typeof underResponders>>) =>
        changeSeverity(p, { number: 1, severity: 1, by: 'U0BOB' }),
    ],
    [
      'changeStatus',
      'change its status',
      (p: Awaited<ReturnType<typeof underResponders>>) =>
        changeStatus(p, { number: 1, status: 'identified', by: 'U0BOB' }),
    ],
    [
      'changeStatus to resolved',
      'resolve it',
      (p: Awaited<ReturnType<typeof underResponders>>) =>
        changeStatus(p, { number: 1, status: 'resolved', by: 'U0BOB' }),
    ],
    [
      'resolveIncident',
      'resolve it',
      (p: Awaited<ReturnType<typeof underResponders>>) =>
        resolveIncident(p, { number: 1, summary: 'fixed', by: 'U0BOB' }),
    ],
  ])('%s by someone with no role is refused and stores nothing', async (_name, what, act) => {
    const ports = await underResponders();
    const before = {
      incident: await ports.store.incidents.get(1),
      timeline: await ports.store.timeline.list(1),
    };
    const e = await act(ports).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('policy.not_responder');
    expect((e as DomainError).message).toBe(`Only INC-1's responders can ${what}: ${WHO}`);
    expect(await ports.store.incidents.get(1)).toEqual(before.incident);
    expect(await ports.store.timeline.list(1)).toEqual(before.timeline);
  });

  it('reopening is refused to someone with no role, and allowed to the declarer', async () => {
    const ports = await underResponders();
    await resolveIncident(ports, { number: 1, summary: null, by: 'U0ALICE' });
    const entries = (await ports.store.timeline.list(1)).length;
    await expect(reopenIncident(ports, { number: 1, reason: null, by: 'U0BOB' })).rejects.toThrow(
      `Only INC-1's responders can reopen it: ${WHO}`,
    );
    expect(await ports.store.timeline.list(1)).toHaveLength(entries);
    await reopenIncident(ports, { number: 1, reason: null, by: 'U0ALICE' });
    expect((await ports.store.incidents.get(1))!.status).toBe('investigating');
  });

  it('lets everyone act under open, the default', async () => {
    const { ports } = await declared();
    expect(ports.config.INCIDENT_POLICY).toBe('open');
    await changeSeverity(ports, { number: 1, severity: 1, by: 'U0BOB' });
    expect((await ports.store.incidents.get(1))!.severity).toBe(1);
  });
});
