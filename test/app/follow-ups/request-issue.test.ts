/** Where follow-ups go, and queuing them: with the action, from the "Create issue" button, and again after a refusal. */
import { describe, expect, it } from 'vitest';
import { parseCatalog } from '../../../src/adapters/catalog/parse-catalog.js';
import { followUpTarget } from '../../../src/app/follow-ups/follow-up-target.js';
import { requestIssue } from '../../../src/app/follow-ups/request-issue.js';
import { recordAction } from '../../../src/app/postmortem/record-action.js';
import { DomainError } from '../../../src/domain/errors.js';
import type { ServiceCatalog } from '../../../src/domain/ports.js';
import { declared } from '../declared.js';

const catalog = (yaml: string): ServiceCatalog =>
  parseCatalog(yaml, { file: 'catalog.yaml', env: {} }).catalog;

const WITH_TRACKERS = catalog(`follow_ups:
  github: acme/ops
services:
  - name: search
    owner: Discovery
    follow_ups:
      jira:
        project: DISC
  - name: checkout
    owner: Storefront
    follow_ups:
      linear:
        team: SHOP
  - name: billing
    owner: Payments
`);

const input = {
  text: 'add a canary stage',
  ownerId: null,
  priority: 'p2' as const,
  due: null,
  actor: 'U0ALICE',
};

describe('followUpTarget', () => {
  it('takes the first attached service that names a tracker, else the catalog default', async () => {
    const { ports, incident } = await declared({ catalog: WITH_TRACKERS });
    expect(await followUpTarget(ports, incident.number)).toEqual({ tracker: 'github', repo: 'acme/ops' });
    await ports.store.services.attach(incident.number, 'billing', 1);
    expect(await followUpTarget(ports, incident.number)).toEqual({ tracker: 'github', repo: 'acme/ops' });
    await ports.store.services.attach(incident.number, 'checkout', 2);
    await ports.store.services.attach(incident.number, 'search', 3);
    expect(await followUpTarget(ports, incident.number)).toEqual({ tracker: 'linear', team: 'SHOP' });
  });

  it('is none without a catalog, or when neither a service nor the catalog names one', async () => {
    expect(await followUpTarget((await declared()).ports, 1)).toBeNull();
    const bare = await declared({ catalog: catalog('services:\n  - name: search\n    owner: Discovery\n') });
    await bare.ports.store.services.attach(1, 'search', 1);
    expect(await followUpTarget(bare.ports, 1)).toBeNull();
  });

  it('defaults a Jira issue type to Task', async () => {
    const { ports, incident } = await declared({ catalog: WITH_TRACKERS });
    await ports.store.services.attach(incident.number, 'search', 1);
    expect(await followUpTarget(ports, incident.number)).toEqual({
      tracker: 'jira',
      project: 'DISC',
      issueType: 'Task',
    });
  });
});

describe('recordAction with a tracker', () => {
  it('queues the issue with the action, under a key naming the workspace and the action', async () => {
    const { ports, incident } = await declared({ catalog: WITH_TRACKERS });
    const { item, notices } = await recordAction(ports, incident, input);
    expect(await ports.store.followUps.get(item.id)).toMatchObject({
      status: 'pending',
      attempts: 0,
      idempotencyKey: `muster-T0TEAM-action-${item.id}`,
      target: { tracker: 'github', repo: 'acme/ops' },
      nextAttemptAt: ports.clock.now(),
    });
    expect(notices).toEqual([expect.objectContaining({ kind: 'action_recorded', issueIn: 'github' })]);
  });

  it('queues nothing when no tracker takes the incident', async () => {
    const { ports, incident } = await declared();
    const { item, notices } = await recordAction(ports, incident, input);
    expect(await ports.store.followUps.get(item.id)).toBeNull();
    expect(notices).toEqual([expect.objectContaining({ kind: 'action_recorded', issueIn: null })]);
  });
});

describe('requestIssue', () => {
  it('queues an item that has no issue, and says one is on its way when pressed again', async () => {
    const { ports, incident } = await declared();
    const { item } = await recordAction(ports, incident, input);
    await expect(requestIssue(ports, item.id)).rejects.toThrow(/No tracker takes the follow-ups of INC-1/);
    const withTracker = { ...ports, catalog: { ...ports.catalog, current: WITH_TRACKERS } };
    expect(await requestIssue(withTracker, item.id)).toMatchObject({ outcome: 'queued', tracker: 'github' });
    expect(await requestIssue(withTracker, item.id)).toMatchObject({ outcome: 'pending', tracker: 'github' });
  });

  it('queues a refused issue again, and names an existing one', async () => {
    const { ports, incident } = await declared({ catalog: WITH_TRACKERS });
    const { item } = await recordAction(ports, incident, input);
    const now = ports.clock.now();
    const [row] = await ports.store.followUps.claimDue(now, { owner: 'w', until: now + 60_000, limit: 1 });
    await ports.store.followUps.markFailed(row!.actionId, 'w', 'GitHub refused the issue: Not Found');
    expect(await requestIssue(ports, item.id)).toMatchObject({ outcome: 'queued' });
    expect(await ports.store.followUps.get(item.id)).toMatchObject({
      status: 'pending',
      failureNotifiedAt: null,
    });
    const [again] = await ports.store.followUps.claimDue(now, { owner: 'w', until: now + 60_000, limit: 1 });
    const issue = {
      tracker: 'github' as const,
      id: '7',
      key: 'acme/ops#7',
      url: 'https://github.com/acme/ops/issues/7',
    };
    await ports.store.followUps.markCreated(again!.actionId, 'w', issue, now);
    expect(await requestIssue(ports, item.id)).toEqual({ outcome: 'exists', item, issue });
  });

  it('refuses an action item that does not exist', async () => {
    const { ports } = await declared({ catalog: WITH_TRACKERS });
    const e = await requestIssue(ports, 99).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('action.unknown');
  });
});
