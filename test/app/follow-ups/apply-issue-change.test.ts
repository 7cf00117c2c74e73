/** Stored tracker deliveries applied on in-memory ports: once, processed with the change, and by the sweep. */
import { describe, expect, it } from 'vitest';
import { GitHubWebhook } from '../../../src/adapters/trackers/github-webhook.js';
import {
  applyIssueChange,
  applyPendingTrackerWebhooks,
  readStoredTrackerDelivery,
  storedTrackerDelivery,
} from '../../../src/app/follow-ups/apply-issue-change.js';
import type { TrackerIssueChange } from '../../../src/domain/ports/tracker.js';
import { declared } from '../declared.js';
import { linkedAction, OPS_12 } from './linked-action.js';

const change = (over: Partial<TrackerIssueChange> = {}): TrackerIssueChange => ({
  tracker: 'jira',
  deliveryId: 'D1',
  issueId: OPS_12.id,
  key: OPS_12.key,
  closed: true,
  actorName: 'Ana',
  occurredAt: null,
  ...over,
});

describe('applyIssueChange', () => {
  it('applies a delivery and marks it processed; a second apply changes nothing', async () => {
    const { ports, incident } = await declared();
    const { item } = await linkedAction(ports, incident);
    await ports.store.inbound.record('jira', 'D1', '{}', ports.clock.now());
    const notices = await applyIssueChange(ports, change());
    expect(notices.map((n) => n.kind)).toEqual(['follow_up_synced']);
    expect(await ports.store.inbound.isProcessed('jira', 'D1')).toBe(true);
    expect((await ports.store.actions.get(item.id))?.doneBy).toBe('muster');
    expect(await applyIssueChange(ports, change())).toEqual([]);
    expect(ports.metrics.eventsReceived.total({ source: 'jira', outcome: 'processed' })).toBe(1);
  });

  it('marks a delivery about an issue Muster did not create processed, and tells nothing', async () => {
    const { ports, incident } = await declared();
    const { item } = await linkedAction(ports, incident);
    await ports.store.inbound.record('jira', 'D2', '{}', ports.clock.now());
    expect(await applyIssueChange(ports, change({ deliveryId: 'D2', issueId: '99999' }))).toEqual([]);
    expect(await ports.store.inbound.isProcessed('jira', 'D2')).toBe(true);
    expect((await ports.store.actions.get(item.id))?.doneAt).toBeNull();
  });

  it('finds the issue in its own tracker only: the same id in another tracker is not it', async () => {
    const { ports, incident } = await declared();
    const { item } = await linkedAction(ports, incident);
    await ports.store.inbound.record('linear', 'D3', '{}', ports.clock.now());
    expect(await applyIssueChange(ports, change({ tracker: 'linear', deliveryId: 'D3' }))).toEqual([]);
    expect((await ports.store.actions.get(item.id))?.doneAt).toBeNull();
  });
});

describe('stored deliveries', () => {
  it('keep the raw body and only the headers named', () => {
    const row = storedTrackerDelivery(
      {
        'X-GitHub-Event': 'issues',
        'x-github-delivery': 'G1',
        authorization: 'secret',
        'x-hub-signature-256': 's',
      },
      ['x-github-event', 'x-github-delivery'],
      '{"a":1}',
    );
    expect(readStoredTrackerDelivery(row)).toEqual({
      headers: { 'X-GitHub-Event': 'issues', 'x-github-delivery': 'G1' },
      body: '{"a":1}',
    });
    expect(() => readStoredTrackerDelivery('not json')).toThrow('not JSON');
    expect(() => readStoredTrackerDelivery('{"body":1}')).toThrow('no body or headers');
  });

  it('are applied by the sweep when nobody holds them, and dropped when they no longer read', async () => {
    const { ports, incident } = await declared();
    const issue = {
      tracker: 'github' as const,
      id: '7',
      key: 'acme/checkout#7',
      url: 'https://github.com/x',
    };
    const { item } = await linkedAction(ports, incident, issue);
    const body = JSON.stringify({
      action: 'closed',
      issue: { number: 7, updated_at: '2026-11-23T09:10:00Z' },
      repository: { full_name: 'acme/checkout' },
      sender: { login: 'octocat', name: 'The Octocat' },
    });
    const headers = { 'x-github-event': 'issues', 'x-github-delivery': 'G1' };
    const now = ports.clock.now();
    await ports.store.inbound.record(
      'github',
      'G1',
      storedTrackerDelivery(headers, Object.keys(headers), body),
      now,
    );
    await ports.store.inbound.record('github', 'G2', 'garbage', now);
    ports.clock.advanceMinutes(1);
    await applyPendingTrackerWebhooks(ports, 'sweeper', [{ webhook: new GitHubWebhook() }]);
    expect(await ports.store.actions.get(item.id)).toMatchObject({
      doneAt: Date.parse('2026-11-23T09:10:00Z'),
    });
    expect(await ports.store.inbound.isProcessed('github', 'G1')).toBe(true);
    expect(await ports.store.inbound.isProcessed('github', 'G2')).toBe(true);
    expect(ports.notifier.notices.map((n) => n.kind)).toEqual(['follow_up_synced']);
  });
});
