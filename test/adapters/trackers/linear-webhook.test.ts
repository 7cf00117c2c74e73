import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LinearWebhook } from '../../../src/adapters/trackers/linear-webhook.js';
import { TrackerWebhookError } from '../../../src/domain/ports/tracker.js';

const SECRET = 'lin_wh_secret & <x>';
const NOW = Date.parse('2026-12-06T17:00:00Z');

function delivery(overrides: Record<string, unknown> = {}) {
  return {
    action: 'update',
    type: 'Issue',
    actor: { id: 'u-1', name: 'Ada 🚒 <b>', email: 'ada@example.com' },
    webhookId: 'wh-1',
    webhookTimestamp: NOW,
    data: {
      id: 'issue-uuid-1',
      identifier: 'ENG-12',
      updatedAt: '2026-12-06T16:59:59.000Z',
      state: { id: 's-done', type: 'completed', name: 'Done' },
      assignee: null,
    },
    updatedFrom: { stateId: 's-todo' },
    ...overrides,
  };
}
function sign(raw: string, secret = SECRET) {
  return createHmac('sha256', secret).update(raw).digest('hex');
}

describe('Linear webhook verify', () => {
  const hook = new LinearWebhook(() => NOW);
  const raw = JSON.stringify(delivery());

  it('accepts a good signature', async () => {
    expect(await hook.verify({ 'Linear-Signature': sign(raw) }, raw, SECRET)).toBe(true);
  });
  it('rejects a bad, missing or wrong-secret signature', async () => {
    expect(await hook.verify({ 'linear-signature': 'ab'.repeat(32) }, raw, SECRET)).toBe(false);
    expect(await hook.verify({}, raw, SECRET)).toBe(false);
    expect(await hook.verify({ 'linear-signature': sign(raw, 'other') }, raw, SECRET)).toBe(false);
    expect(await hook.verify({ 'linear-signature': 'zz' }, raw, SECRET)).toBe(false);
  });
  it('rejects a body altered after signing', async () => {
    const altered = raw.replace('completed', 'canceled');
    expect(await hook.verify({ 'linear-signature': sign(raw) }, altered, SECRET)).toBe(false);
  });
  it('rejects a stale (replayed) delivery', async () => {
    const later = new LinearWebhook(() => NOW + 61_000);
    expect(await later.verify({ 'linear-signature': sign(raw) }, raw, SECRET)).toBe(false);
    const edge = new LinearWebhook(() => NOW + 60_000);
    expect(await edge.verify({ 'linear-signature': sign(raw) }, raw, SECRET)).toBe(true);
  });
});

describe('Linear webhook parse', () => {
  const hook = new LinearWebhook(() => NOW);

  it('reads a close, with the delivery id from Linear-Delivery', () => {
    const change = hook.parse({ 'Linear-Delivery': 'd-1' }, JSON.stringify(delivery()));
    expect(change).toEqual({
      tracker: 'linear',
      deliveryId: 'd-1',
      issueId: 'issue-uuid-1',
      key: 'ENG-12',
      closed: true,
      actorName: 'Ada 🚒 <b>',
      actorEmail: 'ada@example.com',
      occurredAt: Date.parse('2026-12-06T16:59:59.000Z'),
    });
  });
  it('the same delivery replayed keeps its delivery id (for deduplication)', () => {
    const raw = JSON.stringify(delivery());
    expect(hook.parse({ 'linear-delivery': 'd-1' }, raw)?.deliveryId).toBe(
      hook.parse({ 'linear-delivery': 'd-1' }, raw)?.deliveryId,
    );
    expect(hook.parse({}, raw)?.deliveryId).toBe(`wh-1:${NOW}`);
  });
  it('reads a cancel as closed and a reopen as open', () => {
    const cancel = delivery({ data: { ...delivery().data, state: { type: 'canceled' } } });
    expect(hook.parse({}, JSON.stringify(cancel))?.closed).toBe(true);
    const reopen = delivery({ data: { ...delivery().data, state: { type: 'started' } } });
    expect(hook.parse({}, JSON.stringify(reopen))?.closed).toBe(false);
  });
  it('reads an assign and an unassign', () => {
    const assign = delivery({
      updatedFrom: { assigneeId: null },
      data: {
        ...delivery().data,
        assigneeId: 'u-2',
        assignee: { id: 'u-2', name: 'Grace', email: 'grace@example.com' },
      },
    });
    const a = hook.parse({}, JSON.stringify(assign));
    expect(a?.closed).toBeNull();
    expect(a?.assignee).toEqual({ id: 'u-2', name: 'Grace', email: 'grace@example.com' });
    const unassign = delivery({
      updatedFrom: { assigneeId: 'u-2' },
      data: { ...delivery().data, assigneeId: null, assignee: null },
    });
    expect(hook.parse({}, JSON.stringify(unassign))?.assignee).toBeNull();
  });
  it('ignores unrelated deliveries', () => {
    expect(hook.parse({}, JSON.stringify(delivery({ type: 'Comment' })))).toBeNull();
    expect(hook.parse({}, JSON.stringify(delivery({ action: 'create' })))).toBeNull();
    expect(hook.parse({}, JSON.stringify(delivery({ updatedFrom: { title: 'old' } })))).toBeNull();
  });
  it('rejects malformed bodies', () => {
    expect(() => hook.parse({}, '{not json')).toThrow(TrackerWebhookError);
    expect(() => hook.parse({}, JSON.stringify(delivery({ data: {} })))).toThrow(TrackerWebhookError);
  });
});
