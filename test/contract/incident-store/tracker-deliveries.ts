/** The contract of tracker webhook deliveries (GitHub, Jira, Linear) in the inbox: a source of their own each. */
import { expect, it } from 'vitest';
import { T0, type UseStore } from './fixtures.js';

export function trackerInboxContract(use: UseStore): void {
  it('stores each tracker as a source of its own: recorded once, claimed, processed', async () => {
    const store = use();
    for (const source of ['github', 'jira', 'linear'] as const) {
      expect(await store.inbound.record(source, 'D1', `{"from":"${source}"}`, T0)).toBe(true);
      expect(await store.inbound.record(source, 'D1', 'again', T0 + 1)).toBe(false);
    }
    // the same delivery id from PagerDuty is another delivery
    expect(await store.inbound.record('pagerduty', 'D1', '{}', T0)).toBe(true);
    const claimed = await store.inbound.claimStale('linear', {
      owner: 'i1',
      now: T0 + 10,
      until: T0 + 20,
      receivedBefore: T0 + 10,
      limit: 10,
    });
    expect(claimed).toEqual([
      { source: 'linear', eventId: 'D1', body: '{"from":"linear"}', receivedAt: T0, attempts: 0 },
    ]);
    await store.inbound.markProcessed('github', 'D1', T0 + 30);
    expect(await store.inbound.isProcessed('github', 'D1')).toBe(true);
    expect(await store.inbound.isProcessed('jira', 'D1')).toBe(false);
    expect(await store.inbound.markFailed('jira', 'D1', 'boom')).toBe(1);
    expect((await store.inbound.pending('jira')).map((e) => [e.eventId, e.attempts])).toEqual([['D1', 1]]);
  });
}
