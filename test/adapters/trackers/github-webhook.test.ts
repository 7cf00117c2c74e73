import { describe, expect, it } from 'vitest';
import { FakeGitHub } from '../../../packages/sandbox/src/trackers/index.js';
import { GitHubWebhook } from '../../../src/adapters/trackers/github-webhook.js';
import { TrackerWebhookError } from '../../../src/domain/ports/tracker.js';

const secret = 'whsec-github-test & <script> 🔥';
const octocat = { login: 'octocat', name: 'The Octocat', email: 'octocat@example.com' };
const hook = new GitHubWebhook();

function world() {
  const fake = new FakeGitHub({ webhookSecret: secret });
  const now = new Date().toISOString();
  const issue = {
    number: 12,
    repo: 'acme/checkout',
    title: 'x',
    body: null,
    labels: [],
    assignees: [],
    state: 'open' as const,
    creator: 'muster-bot',
    createdAt: now,
    updatedAt: now,
    closedAt: null,
  };
  return { fake, issue };
}

describe('GitHubWebhook', () => {
  it('accepts a good signature and refuses a bad, missing or altered one', async () => {
    const { fake, issue } = world();
    const { raw, headers } = fake.webhookFor('closed', issue, octocat);
    expect(await hook.verify(headers, raw, secret)).toBe(true);
    expect(await hook.verify(headers, raw, 'another secret')).toBe(false);
    expect(await hook.verify({ ...headers, 'x-hub-signature-256': 'sha256=00' }, raw, secret)).toBe(false);
    expect(await hook.verify({ ...headers, 'x-hub-signature-256': undefined }, raw, secret)).toBe(false);
    expect(await hook.verify(headers, raw.replace('closed', 'opened'), secret)).toBe(false);
  });

  it('reads closed, reopened, assigned and unassigned', () => {
    const { fake, issue } = world();
    const closed = fake.webhookFor('closed', issue, octocat);
    expect(hook.parse(closed.headers, closed.raw)).toMatchObject({
      tracker: 'github',
      deliveryId: closed.headers['x-github-delivery'],
      issueId: '12',
      key: 'acme/checkout#12',
      closed: true,
      actorName: 'The Octocat',
    });
    const reopened = fake.webhookFor('reopened', issue, octocat);
    expect(hook.parse(reopened.headers, reopened.raw)?.closed).toBe(false);
    const assigned = fake.webhookFor('assigned', issue, octocat, octocat);
    expect(hook.parse(assigned.headers, assigned.raw)).toMatchObject({
      closed: null,
      assignee: { id: 'octocat', email: 'octocat@example.com' },
    });
    const unassigned = fake.webhookFor('unassigned', issue, octocat, octocat);
    const change = hook.parse(unassigned.headers, unassigned.raw);
    expect(change?.assignee).toBeNull();
  });

  it('gives a replayed delivery the same deliveryId', () => {
    const { fake, issue } = world();
    const { raw, headers } = fake.webhookFor('closed', issue, octocat);
    expect(hook.parse(headers, raw)?.deliveryId).toBe(hook.parse({ ...headers }, raw)?.deliveryId);
  });

  it('ignores other events and actions, and rejects malformed bodies', () => {
    const { fake, issue } = world();
    const edited = fake.webhookFor('edited', issue, octocat);
    expect(hook.parse(edited.headers, edited.raw)).toBeNull();
    expect(hook.parse({ ...edited.headers, 'x-github-event': 'issue_comment' }, edited.raw)).toBeNull();
    expect(hook.parse({ ...edited.headers, 'x-github-event': 'ping' }, '{"zen":"hi"}')).toBeNull();
    expect(() => hook.parse(edited.headers, '{not json')).toThrow(TrackerWebhookError);
    expect(() => hook.parse(edited.headers, '{"action":"closed"}')).toThrow(TrackerWebhookError);
  });
});
