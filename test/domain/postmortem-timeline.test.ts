import { describe, expect, it } from 'vitest';
import { describesImpact } from '../../src/domain/postmortem-impact.js';
import { bookkeepingDetails, bookkeepingGroup, describeEntry } from '../../src/domain/postmortem-timeline.js';
import type { EntryKind } from '../../src/domain/timeline.js';

const e = (kind: EntryKind, text: string, meta: Record<string, unknown> = {}) => ({ kind, text, meta });

describe('a timeline row says what happened once', () => {
  const cases: [string, ReturnType<typeof e>, string, string, string][] = [
    [
      'declared',
      e('declared', 'Declared SEV-1: DB down', { severity: 1 }),
      'Declared',
      'Declared SEV-1',
      'DB down',
    ],
    [
      'severity',
      e('severity', 'Severity changed from SEV-2 to SEV-1', { from: 2, to: 1 }),
      'Severity',
      'SEV-2 → SEV-1',
      '',
    ],
    [
      'status',
      e('status', 'Status changed from investigating to identified', {
        from: 'investigating',
        to: 'identified',
      }),
      'Status',
      'Investigating → identified',
      '',
    ],
    ['status without meta keeps its words', e('status', 'moved on'), 'Status', 'Status', 'moved on'],
    ['resolved', e('resolved', 'Resolved: rolled back'), 'Resolved', 'Resolved', 'rolled back'],
    [
      'page',
      e('page', 'Paged checkout: card payments -&gt; failing'),
      'Page',
      'Paged checkout',
      'card payments -&gt; failing',
    ],
    [
      'automatic page',
      e('page', 'Paged checkout automatically (SEV-1 policy)'),
      'Page',
      'Paged checkout automatically (SEV-1 policy)',
      '',
    ],
    [
      'acknowledgement',
      e('page_ack', 'checkout page acknowledged by Jane Doe after 4 min'),
      'Page acknowledged',
      'Page acknowledged',
      'checkout, by Jane Doe after 4 min',
    ],
    [
      'PagerDuty opened',
      e('page_event', 'PagerDuty #1 opened for x', { event: 'incident.triggered' }),
      'PagerDuty',
      'Page opened',
      'PagerDuty #1 opened for x',
    ],
    ['note', e('note', 'Declared SEV-1 in the note'), 'Note', 'Note', 'Declared SEV-1 in the note'],
  ];
  for (const [name, entry, label, what, details] of cases)
    it(name, () => expect(describeEntry(entry, label)).toEqual({ what, details }));
});

describe('bookkeeping folds apart, without its title repeated', () => {
  it('groups roles, services, runbooks, action items and page resolutions, and nothing else', () => {
    expect(bookkeepingGroup(e('role', ''))).toBe('roles');
    expect(bookkeepingGroup(e('service', ''))).toBe('services');
    expect(bookkeepingGroup(e('runbook', ''))).toBe('runbooks');
    expect(bookkeepingGroup(e('action', ''))).toBe('actions');
    expect(bookkeepingGroup(e('page_event', '', { event: 'resolved' }))).toBe('pages_resolved');
    expect(bookkeepingGroup(e('page_event', '', { event: 'incident.resolved' }))).toBe('pages_resolved');
    expect(bookkeepingGroup(e('page_event', '', { event: 'failed' }))).toBeNull();
    for (const k of [
      'declared',
      'status',
      'severity',
      'note',
      'update',
      'message',
      'page',
      'page_ack',
    ] as const)
      expect(bookkeepingGroup(e(k, ''))).toBeNull();
  });

  it('drops the words the group title says', () => {
    expect(bookkeepingDetails(e('service', 'Service checkout attached (owner Storefront)'), 'services')).toBe(
      'checkout (owner Storefront)',
    );
    expect(bookkeepingDetails(e('runbook', 'Runbook linked: <https://x|X> (checkout)'), 'runbooks')).toBe(
      '<https://x|X> (checkout)',
    );
    expect(bookkeepingDetails(e('action', 'Action item (P1): Add an alert, owner <@U1>'), 'actions')).toBe(
      'P1: Add an alert, owner <@U1>',
    );
    expect(bookkeepingDetails(e('action', 'Action item done: Add an alert'), 'actions')).toBe(
      'done: Add an alert',
    );
    expect(
      bookkeepingDetails(
        e('page_event', 'Resolved the PagerDuty page to checkout', {
          event: 'resolved',
          service: 'checkout',
        }),
        'pages_resolved',
      ),
    ).toBe('checkout');
    expect(
      bookkeepingDetails(
        e('page_event', 'checkout page resolved in PagerDuty by Sam', { event: 'incident.resolved' }),
        'pages_resolved',
      ),
    ).toBe('checkout (in PagerDuty by Sam)');
  });
});

describe('an update describes the impact', () => {
  const yes = [
    'failing since 15:10',
    'Customers see 500s',
    'error rate 4%',
    '502 for EU',
    'checkout is slow',
    'users cannot log in',
  ];
  const no = ['Next update 10:45', 'Rolled back v42; watching', 'Handing over to Carol'];
  for (const t of yes) it(`"${t}" does`, () => expect(describesImpact(t)).toBe(true));
  for (const t of no) it(`"${t}" does not`, () => expect(describesImpact(t)).toBe(false));
});
