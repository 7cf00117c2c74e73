/**
 * Every Block Kit builder, fed hostile input (40,000-character text, emoji at the cut, 3,000 `&`, `<` and `>`,
 * links and mentions at the cut, 100 action items, many services and pages), gives what Slack takes: the
 * checks are the sandbox workspace's own, which answers `invalid_blocks` as Slack does.
 */
import { describe, expect, it } from 'vitest';
import type { ActionItem } from '../../../src/domain/action-item.js';
import type { Incident } from '../../../src/domain/incident.js';
import { incidentRecord } from '../../support/incident-record.js';
import type { Page } from '../../../src/domain/page.js';
import { pageRecord } from '../../support/page-record.js';
import type { CatalogService } from '../../../src/domain/ports.js';
import { actionItemsMessage } from '../../../src/adapters/slack/blocks/action-items.js';
import { followUpsOverdueMessage, issueLink } from '../../../src/adapters/slack/blocks/follow-ups.js';
import type { FollowUp } from '../../../src/domain/follow-up.js';
import {
  announcementMessage,
  headlineMessage,
  topicFor,
} from '../../../src/adapters/slack/blocks/headline.js';
import * as lifecycle from '../../../src/adapters/slack/blocks/lifecycle-messages.js';
import {
  impactTimesModal,
  resolveModal,
  roleModal,
  statusModal,
  updateModal,
} from '../../../src/adapters/slack/blocks/lifecycle-modals.js';
import { zoneRules } from '../../../src/adapters/render/time-format.js';
import {
  alreadyPagedReply,
  escalationPromptMessage,
  nobodyPagedMessage,
  pageDeliveredMessage,
} from '../../../src/adapters/slack/blocks/page-messages.js';
import {
  declaredRunbooksMessage,
  runbookListMessage,
  teamNotice,
} from '../../../src/adapters/slack/blocks/runbooks.js';
import { serviceCatalogMessage } from '../../../src/adapters/slack/blocks/service-catalog.js';
import { declareModal } from '../../../src/adapters/slack/interactions/declare-modal.js';
import { escapeMrkdwn } from '../../../src/adapters/slack/mrkdwn.js';
import { fitMrkdwn } from '../../../src/adapters/slack/text-fit.js';
import { anyLoneSurrogate, messageProblems, modalProblems } from '../../support/slack-limits.js';

const AT = Date.UTC(2026, 10, 23, 9, 0, 0);

/** Texts that grow when escaped, end in half an emoji at a naive cut, or put markup where a cut falls. */
const HOSTILE: Record<string, string> = {
  '40,000 characters': 'x'.repeat(40_000),
  '3,000 &': '&'.repeat(3000),
  '3,000 <': '<'.repeat(3000),
  '3,000 >': '>'.repeat(3000),
  'escaped by Slack already': '&amp;&lt;&gt;'.repeat(1500),
  'emoji at every cut': '😀'.repeat(2000),
  'skin tones and ZWJ': '👩🏽‍💻👍🏿🏳️‍🌈'.repeat(500),
  'links and mentions at the cut':
    `${'a'.repeat(2990)}<https://example.com/${'p'.repeat(50)}|label><@U0BOB><!subteam^S1|@db>`.repeat(3),
  'a 2,990-character item': 'i'.repeat(2990),
  broadcasts: '<!channel> <!here|here> <!everyone> <!subteam^S0123|@oncall> '.repeat(200),
};

const incident = (o: Partial<Incident> = {}): Incident =>
  incidentRecord({
    number: 123456,
    title: 'Checkout returns 500s',
    severity: 1,
    teamId: 'T1',
    channelId: 'C1',
    channelName: 'inc-123456-checkout',
    declaredBy: 'U0ALICE',
    declaredAt: AT,
    headlineTs: '1.0001',
    announceTs: '1.0002',
    updatedAt: AT,
    ...o,
  });

const page = (o: Partial<Page> = {}): Page =>
  pageRecord({
    id: 1,
    incidentNumber: 123456,
    service: 'checkout',
    dedupKey: 'muster-inc-123456-checkout',
    status: 'triggered',
    severity: 1,
    requestedBy: 'U0ALICE',
    requestedAt: AT,
    triggeredAt: AT,
    escalationLevel: 1,
    ...o,
  });

const item = (id: number, text: string, o: Partial<ActionItem> = {}): ActionItem => ({
  id,
  incidentNumber: 123456,
  text,
  ownerId: 'U0BOB',
  priority: 'p1',
  due: '2026-12-01',
  createdBy: 'U0ALICE',
  createdAt: AT,
  doneAt: null,
  doneBy: null,
  ...o,
});

const holders = { ic: 'U0ALICE', comms: 'U0BOB', scribe: 'U0CAROL', tech: 'U0DAVE' };

/** A title as long as `/incident declare` allows (200), from the hostile text (cut as Slack text). */
const title = (text: string) => fitMrkdwn(text, 200);

function expectSlackTakes(m: { text?: string; blocks?: unknown[] }): void {
  expect(messageProblems(m)).toEqual([]);
}

function expectNoBroadcast(m: { text?: string; blocks?: unknown[] }): void {
  const all = JSON.stringify(m);
  expect(all).not.toMatch(/<!(?:channel|here|everyone|subteam|group)/);
}

describe.each(Object.entries(HOSTILE))('builders fed %s', (_name, text) => {
  it('headline, announcement and topic', () => {
    const i = incident({
      title: title(text),
      description: text,
      summary: text,
      status: 'resolved',
      resolvedAt: AT + 60_000,
    });
    const many = Array.from({ length: 100 }, (_, n) => `service-${n}-${'s'.repeat(90)}`);
    const view = {
      incident: i,
      holders,
      now: AT,
      services: many,
      runbooks: many.map((s) => ({ title: text.slice(0, 500), url: `https://runbooks.example/${s}` })),
      pages: many.map((s) => ({ service: s, status: 'acknowledged', acknowledgedBy: text.slice(0, 300) })),
      postmortem: { permalink: 'https://slack.example/p', version: 3 },
      lastUpdate: { at: AT - 60_000, text, by: 'U0DAVE' },
      nextUpdateDue: AT + 30 * 60_000,
    };
    for (const m of [
      headlineMessage(view),
      headlineMessage({ ...view, incident: { ...i, status: 'identified', resolvedAt: null } }),
      announcementMessage(i, holders),
    ]) {
      expectSlackTakes(m);
      expectNoBroadcast(m);
    }
    const topic = topicFor(i, 'Alice');
    expect(anyLoneSurrogate(topic)).toBe(false);
  });

  it('action items: one item, and 100 of them', () => {
    expectSlackTakes(actionItemsMessage('INC-123456', [item(1, text)]));
    expectSlackTakes(actionItemsMessage('INC-123456', [item(1, text, { doneAt: AT, doneBy: 'U0BOB' })]));
    const hundred = Array.from({ length: 100 }, (_, n) =>
      item(n + 1, text, n % 2 ? { doneAt: AT, doneBy: 'U0CAROL' } : {}),
    );
    const m = actionItemsMessage('INC-123456', hundred);
    expectSlackTakes(m);
    expectNoBroadcast(m);
  });

  it('action items with their issues and buttons, and the weekly overdue DM', () => {
    const issue = {
      tracker: 'github' as const,
      id: '7',
      key: text.slice(0, 300),
      url: `https://github.com/acme/ops/issues/${'7'.repeat(200)}`,
    };
    const followUp = (actionId: number, status: FollowUp['status']): FollowUp => ({
      actionId,
      incidentNumber: 1,
      target: { tracker: 'github', repo: 'acme/ops' },
      idempotencyKey: `muster-T0-action-${actionId}`,
      status,
      attempts: 1,
      nextAttemptAt: AT,
      lastError: status === 'failed' ? text : null,
      failureNotifiedAt: null,
      issue: status === 'created' ? issue : null,
      checkedAt: null,
      createdAt: AT,
      claimedBy: null,
      claimedUntil: null,
    });
    const hundred = Array.from({ length: 100 }, (_, n) => item(n + 1, text));
    const statuses: (FollowUp['status'] | null)[] = ['created', 'failed', 'pending', null];
    const followUps = new Map(
      hundred.flatMap((i) => {
        const status = statuses[i.id % 4]!;
        return status ? [[i.id, followUp(i.id, status)] as const] : [];
      }),
    );
    const m = actionItemsMessage('INC-123456', hundred, { followUps, tracker: 'github' });
    expectSlackTakes(m);
    expectNoBroadcast(m);
    expect(JSON.stringify(m.blocks)).toContain('follow_up.create');
    const inc = incident({ title: title(text) });
    const dm = followUpsOverdueMessage(
      hundred.map((i) => ({
        item: { ...i, due: '2026-11-01' },
        incident: inc,
        issue: i.id % 2 ? issue : null,
      })),
    );
    expectSlackTakes(dm);
    expectNoBroadcast(dm);
    // a URL that could break out of the link shows as the key alone
    expect(issueLink({ ...issue, key: 'OPS-1', url: 'https://x.example/a|b>' })).toBe('OPS-1');
    expect(issueLink({ ...issue, key: 'a&b', url: 'https://x.example/1' })).toBe(
      '<https://x.example/1|a&amp;b>',
    );
  });

  it('page confirmations, prompts and answers', () => {
    // the page message is plain text (decoded from the command), escaped by the builder
    const p = page({ message: text, acknowledgedBy: text.slice(0, 500), status: 'acknowledged' });
    const onCall = Array.from({ length: 100 }, (_, n) => ({ level: n + 1, name: text.slice(0, 300) }));
    for (const m of [
      pageDeliveredMessage({
        page: p,
        onCall,
        pdIncident: { number: 42, url: 'https://pd.example/incidents/42' },
      }),
      pageDeliveredMessage({ page: { ...p, requestedBy: 'muster' }, onCall: null, delayedMs: 600_000 }),
      alreadyPagedReply(p, AT + 60_000),
      escalationPromptMessage(p, 10),
      nobodyPagedMessage(
        'SEV-1',
        Array.from({ length: 100 }, (_, n) => ({
          name: `${text.slice(0, 60)}-${n}`,
          reason: n % 2 ? ('no_target' as const) : ('not_configured' as const),
        })),
        Array.from({ length: 100 }, (_, n) => `${text.slice(0, 60)}-${n}`),
      ),
    ]) {
      expectSlackTakes(m);
      expectNoBroadcast(m);
    }
  });

  it('lifecycle messages and thread replies', () => {
    const i = incident({
      title: title(text),
      summary: fitMrkdwn(text, 3000),
      status: 'resolved',
      resolvedAt: AT + 1,
    });
    for (const m of [
      lifecycle.updateMessage(i, text, 'U0BOB'),
      lifecycle.updateThreadReply(i, text, 'U0BOB'),
      lifecycle.resolutionMessage(i, 'U0BOB'),
      lifecycle.resolutionThreadReply(i, 'U0BOB'),
      lifecycle.impactTimesConfirmation(
        { ...i, impactStartedAt: AT - 600_000, detectedAt: AT - 60_000 },
        i,
        'U0BOB',
      ),
      lifecycle.reopenMessage(i, text, 'U0BOB'),
      lifecycle.reopenThreadReply(i, text, 'U0BOB'),
      lifecycle.checklistMessage(i, 'ic', 'Do things'),
    ]) {
      expectSlackTakes(m);
      expectNoBroadcast(m);
    }
  });

  it('team notices and runbook lists', () => {
    const i = incident({ title: title(text) });
    const names = Array.from({ length: 60 }, (_, n) => `svc-${n}`);
    expectNoBroadcast(teamNotice(i, names, 'U0ALICE'));
    expectSlackTakes(teamNotice(i, names, 'U0ALICE'));
    const lines = names.map((s) => ({
      title: text.slice(0, 200),
      url: `https://x.example/${s}`,
      service: s,
    }));
    expectSlackTakes(
      declaredRunbooksMessage({
        services: names.map((name) => ({ name, owner: 'DB' })),
        runbooks: lines,
        withoutRunbooks: names,
      }),
    );
    expectSlackTakes(
      runbookListMessage(
        123456,
        lines.map((l) => ({ ...l, linkedBy: 'U0BOB', linkedAt: AT })),
        names,
      ),
    );
  });

  it('modals', () => {
    const i = incident({ title: title(text) });
    for (const v of [
      statusModal(i),
      roleModal(i, holders),
      updateModal(i),
      resolveModal(i),
      impactTimesModal(
        { ...i, impactStartedAt: AT - 600_000, detectedAt: AT - 60_000 },
        zoneRules('Europe/Berlin'),
      ),
    ])
      expect(modalProblems(v)).toEqual([]);
    const services = Array.from({ length: 150 }, (_, n) => `${'s'.repeat(95)}-${n}`);
    expect(
      modalProblems(
        declareModal({ severity: 2, private: true, channelId: 'C1', services, timeZone: 'Europe/Berlin' }),
      ),
    ).toEqual([]);
    expect(
      modalProblems(
        declareModal({
          severity: 2,
          channelId: 'C1',
          services: services.slice(0, 100),
          timeZone: 'Europe/Berlin',
        }),
      ),
    ).toEqual([]);
  });
});

describe('the catalog answer', () => {
  it('takes 15 services with long descriptions, aliases and runbooks', () => {
    const service = (n: number): CatalogService => ({
      name: `${'n'.repeat(95)}-${n}`,
      aliases: Array.from({ length: 20 }, (_, a) => `alias-${a}-${'&'.repeat(20)}`),
      description: '😀&<>'.repeat(1000),
      owner: 'Team & <friends>',
      teamChannel: 'C0TEAM',
      runbooks: Array.from({ length: 5 }, (_, r) => ({
        title: `Runbook ${r} ${'<'.repeat(50)}`,
        url: `https://x.example/${r}`,
        file: null,
        path: null,
      })),
      pagerduty: { routingKey: 'R', rest: null },
      autoPage: [1, 2],
      followUps: null,
    });
    const m = serviceCatalogMessage({
      services: Array.from({ length: 15 }, (_, n) => ({ service: service(n), pageable: true })),
      page: 1,
      pages: 2,
      total: 30,
      file: 'catalog.yaml',
    });
    expectSlackTakes(m);
  });
});

describe('titles are escaped exactly once', () => {
  // a title arrives from `/incident declare` as Slack sends it: `<` as `&lt;`, `&` as `&amp;`
  const i = incident({ title: 'p99 &lt; 300ms &amp; <!subteam^S1|@db> 🔥' });

  it('plain_text shows it as typed; mrkdwn once escaped, with the user group defused', () => {
    const h = headlineMessage({ incident: i, holders, now: AT });
    const header = (h.blocks![0] as { text: { text: string } }).text.text;
    expect(header).toBe('INC-123456: p99 < 300ms & @db 🔥');
    const a = JSON.stringify(announcementMessage(i, holders));
    expect(a).toContain('p99 &lt; 300ms &amp; @\u2060db');
    expect(a).not.toContain('&amp;lt;');
    expect(h.text).toContain('p99 &lt; 300ms &amp; @\u2060db');
    expect(topicFor(i, 'Alice')).toBe('SEV-1 · investigating · IC: Alice · p99 < 300ms & @db 🔥');
    const modal = JSON.stringify(statusModal(i));
    expect(modal).toContain('INC-123456: p99 < 300ms & @db 🔥');
  });

  it('a title cut for the header keeps whole emoji', () => {
    const h = headlineMessage({ incident: incident({ title: '🔥'.repeat(200) }), holders, now: AT });
    const header = (h.blocks![0] as { text: { text: string } }).text.text;
    expect(header.length).toBeLessThanOrEqual(150);
    expect(anyLoneSurrogate(header)).toBe(false);
    expect(header.endsWith('🔥…')).toBe(true);
  });

  it('escapeMrkdwn is what makes plain text Slack text (the declare modal)', () => {
    expect(escapeMrkdwn('p99 < 300ms & up')).toBe('p99 &lt; 300ms &amp; up');
  });
});
