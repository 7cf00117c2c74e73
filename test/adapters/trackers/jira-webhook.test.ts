import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  FakeJira,
  type FakeJiraIssue,
  type FakeJiraUser,
} from '../../../packages/sandbox/src/trackers/index.js';
import { JiraWebhook } from '../../../src/adapters/trackers/jira-webhook.js';
import { TrackerWebhookError } from '../../../src/domain/ports/tracker.js';

const secret = 'jira-whsec & <script> 🔥 "q"';
const hook = new JiraWebhook();
const ada: FakeJiraUser = {
  accountId: '5b10a2844c20165700ede21g',
  displayName: 'Ada <b>Lovelace</b> 🚒',
  email: 'ada@example.com',
  emailVisible: true,
  active: true,
  accountType: 'atlassian',
};
const grace: FakeJiraUser = {
  ...ada,
  accountId: '712020:grace',
  displayName: 'Grace Hopper',
  emailVisible: false,
};

/** A FakeJira without a webhook URL: it keeps the deliveries it makes, signed, in `deliveries`. */
function world() {
  const fake = new FakeJira({ webhookSecret: secret, users: [ada, grace] });
  const now = new Date().toISOString();
  const issue: FakeJiraIssue = {
    id: '10042',
    key: 'OPS-12',
    project: 'OPS',
    issueType: 'Task',
    summary: 'Add a circuit breaker',
    description: null,
    labels: ['muster'],
    duedate: null,
    assignee: null,
    status: { id: '10000', name: 'To Do', category: 'new' },
    created: now,
    updated: now,
  };
  fake.issues.push(issue);
  const last = () => {
    const d = fake.deliveries[fake.deliveries.length - 1];
    if (!d) throw new Error('nothing delivered');
    return d;
  };
  return { fake, issue, last };
}

describe('JiraWebhook verify', () => {
  it('accepts a good X-Hub-Signature and refuses a bad, missing, malformed or wrong-secret one', async () => {
    const { fake, issue, last } = world();
    await fake.close(issue, ada);
    const { raw, headers } = last();
    expect(headers['x-hub-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(await hook.verify(headers, raw, secret)).toBe(true);
    expect(await hook.verify({ 'X-Hub-Signature': headers['x-hub-signature'] }, raw, secret)).toBe(true);
    expect(await hook.verify(headers, raw, 'another secret')).toBe(false);
    expect(await hook.verify(headers, raw, '')).toBe(false);
    expect(await hook.verify({ ...headers, 'x-hub-signature': undefined }, raw, secret)).toBe(false);
    const hex = headers['x-hub-signature']?.slice('sha256='.length) ?? '';
    expect(await hook.verify({ 'x-hub-signature': hex }, raw, secret)).toBe(false);
    expect(await hook.verify({ 'x-hub-signature': `sha1=${hex}` }, raw, secret)).toBe(false);
    expect(await hook.verify({ 'x-hub-signature': 'sha256=zz' }, raw, secret)).toBe(false);
    expect(await hook.verify({ 'x-hub-signature': `sha256=${hex}00` }, raw, secret)).toBe(false);
    expect(await hook.verify({ 'x-hub-signature': `sha256=${'0'.repeat(64)}` }, raw, secret)).toBe(false);
    expect(await hook.verify(headers, raw.replace('"done"', '"new"'), secret)).toBe(false);
  });

  it('checks the signature over the raw bytes, hostile text included', async () => {
    const raw = JSON.stringify({ webhookEvent: 'comment_created', comment: { body: '& <b> 🔥 "\\u0000"' } });
    const sig = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
    expect(await hook.verify({ 'x-hub-signature': sig }, raw, secret)).toBe(true);
    expect(
      await hook.verify({ 'x-hub-signature': sig.toUpperCase().replace('SHA256=', 'sha256=') }, raw, secret),
    ).toBe(true);
  });
});

describe('JiraWebhook parse', () => {
  it('reads a move to Done as closed, with the delivery id, actor and time', async () => {
    const { fake, issue, last } = world();
    await fake.close(issue, ada);
    const { raw, headers } = last();
    expect(hook.parse(headers, raw)).toEqual({
      tracker: 'jira',
      deliveryId: headers['x-atlassian-webhook-identifier'],
      issueId: '10042',
      key: 'OPS-12',
      closed: true,
      actorName: 'Ada <b>Lovelace</b> 🚒',
      actorEmail: 'ada@example.com',
      occurredAt: (JSON.parse(raw) as { timestamp: number }).timestamp,
    });
  });

  it('reads a reopen as open', async () => {
    const { fake, issue, last } = world();
    await fake.close(issue, ada);
    await fake.reopen(issue, grace);
    const { raw, headers } = last();
    expect(hook.parse(headers, raw)).toMatchObject({ closed: false, actorName: 'Grace Hopper' });
  });

  it('reads an assignee set, with what Jira tells of them, and removed as null', async () => {
    const { fake, issue, last } = world();
    await fake.assign(issue, ada, grace);
    const set = last();
    const change = hook.parse(set.headers, set.raw);
    expect(change).toMatchObject({
      closed: null,
      assignee: { id: ada.accountId, name: ada.displayName, email: 'ada@example.com' },
      actorName: 'Grace Hopper',
    });
    await fake.assign(issue, grace, grace);
    const hidden = last();
    expect(hook.parse(hidden.headers, hidden.raw)?.assignee).toEqual({
      id: grace.accountId,
      name: 'Grace Hopper',
      email: null,
    });
    await fake.assign(issue, null, grace);
    const removed = last();
    const none = hook.parse(removed.headers, removed.raw);
    expect(none?.assignee).toBeNull();
    expect(none).toHaveProperty('assignee');
  });

  it('takes the new assignee from the changelog when the issue omits it', () => {
    const raw = JSON.stringify({
      timestamp: 1_765_000_000_000,
      webhookEvent: 'jira:issue_updated',
      issue: { id: '10042', key: 'OPS-12', fields: {} },
      changelog: { items: [{ field: 'assignee', fieldId: 'assignee', to: 'acc-1', toString: 'Linus' }] },
    });
    expect(hook.parse({}, raw)?.assignee).toEqual({ id: 'acc-1', name: 'Linus', email: null });
  });

  it('gives a redelivery the same id, and falls back to event, issue and timestamp', async () => {
    const { fake, issue, last } = world();
    await fake.close(issue, ada);
    const { raw, headers } = last();
    expect(hook.parse({ ...headers }, raw)?.deliveryId).toBe(hook.parse(headers, raw)?.deliveryId);
    const { timestamp } = JSON.parse(raw) as { timestamp: number };
    expect(hook.parse({}, raw)?.deliveryId).toBe(`jira:issue_updated:10042:${timestamp}`);
  });

  it('is null for comments, creations, deletions and updates of other fields', () => {
    const { fake, issue } = world();
    for (const event of ['comment_created', 'jira:issue_created', 'jira:issue_deleted']) {
      const { raw, headers } = fake.webhookFor(event, issue, ada);
      expect(hook.parse(headers, raw)).toBeNull();
    }
    const summary = fake.webhookFor('jira:issue_updated', issue, ada, [
      { field: 'summary', fieldtype: 'jira', fieldId: 'summary', from: null, to: null },
    ]);
    expect(hook.parse(summary.headers, summary.raw)).toBeNull();
    const noChangelog = fake.webhookFor('jira:issue_updated', issue, ada);
    expect(hook.parse(noChangelog.headers, noChangelog.raw)).toBeNull();
  });

  it('rejects a body that is not what Jira sends', () => {
    for (const raw of [
      '{not json',
      'null',
      '[]',
      '"text"',
      '{"issue":{"id":"1","key":"OPS-1"}}',
      '{"webhookEvent":"jira:issue_updated"}',
      '{"webhookEvent":"jira:issue_updated","issue":{"id":1,"key":"OPS-1"}}',
      '{"webhookEvent":"jira:issue_updated","issue":{"id":"1","key":"OPS-1","fields":{}},"changelog":{"items":[{"field":"status","fieldId":"status"}]}}',
    ]) {
      expect(() => hook.parse({}, raw), raw).toThrow(TrackerWebhookError);
    }
  });
});
