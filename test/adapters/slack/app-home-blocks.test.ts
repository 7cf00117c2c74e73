/**
 * The App Home view: what each incident and action item shows, the empty states, the web page's links, and
 * Slack's limits whatever people typed (40,000 characters, `&<>`, broadcasts, emoji and markup at the cut,
 * hundreds of incidents and items), checked with the sandbox's own Block Kit rules for views.
 */
import { describe, expect, it } from 'vitest';
import type { HomeAction, HomeIncident, HomeView } from '../../../src/app/home/home-view.js';
import {
  appHomeView,
  MAX_HOME_ACTIONS,
  MAX_HOME_INCIDENTS,
} from '../../../src/adapters/slack/blocks/app-home.js';
import { SLACK_LIMITS } from '../../../src/adapters/slack/text-fit.js';
import type { ActionItem } from '../../../src/domain/action-item.js';
import type { Incident } from '../../../src/domain/incident.js';
import type { TrackerIssueRef } from '../../../src/domain/ports.js';
import type { Role } from '../../../src/domain/roles.js';
import { incidentRecord } from '../../support/incident-record.js';
import { modalProblems } from '../../support/slack-limits.js';

const NOW = Date.UTC(2026, 11, 7, 11, 0);
const DECLARED = NOW - 2 * 60 * 60 * 1000;

const HOSTILE: Record<string, string> = {
  '40,000 characters': 'x'.repeat(40_000),
  '3,000 &': '&'.repeat(3000),
  '3,000 <': '<'.repeat(3000),
  'escaped by Slack already': '&amp;&lt;&gt;'.repeat(1500),
  'emoji at every cut': '😀'.repeat(20_000),
  'skin tones and ZWJ': '👩🏽‍💻👍🏿🏳️‍🌈'.repeat(2000),
  'links and mentions at the cut':
    `${'a'.repeat(190)}<https://example.com/${'p'.repeat(50)}|label><@U0BOB><!subteam^S1|@db>`.repeat(200),
  broadcasts: '<!channel> <!here|here> <!everyone> <!subteam^S0123|@oncall> '.repeat(600),
};

const incident = (number: number, o: Partial<Incident> = {}): Incident =>
  incidentRecord({
    number,
    title: 'Checkout returns 500s',
    severity: 2,
    teamId: 'T1',
    channelId: `C${number}`,
    channelName: `inc-${number}-checkout`,
    declaredBy: 'U0ALICE',
    declaredAt: DECLARED,
    updatedAt: DECLARED,
    ...o,
  });

const home = (i: Incident, roles: Role[] = [], webUrl: string | null = null): HomeIncident => ({
  incident: i,
  roles,
  webUrl,
});

const item = (id: number, incidentNumber: number, o: Partial<ActionItem> = {}): ActionItem => ({
  id,
  incidentNumber,
  text: `action ${id}`,
  ownerId: 'U0BOB',
  priority: 'p1',
  due: '2026-12-01',
  createdBy: 'U0ALICE',
  createdAt: DECLARED,
  doneAt: null,
  doneBy: null,
  ...o,
});

const action = (i: ActionItem, inc: Incident, o: Partial<HomeAction> = {}): HomeAction => ({
  item: i,
  incident: inc,
  issue: null,
  overdue: false,
  ...o,
});

const view = (o: Partial<HomeView> = {}): HomeView => ({
  userId: 'U0BOB',
  now: NOW,
  today: '2026-12-07',
  incidents: [],
  actions: [],
  incidentsUrl: null,
  ...o,
});

const GITHUB: TrackerIssueRef = {
  tracker: 'github',
  id: '12',
  key: 'acme/checkout#12',
  url: 'https://github.com/acme/checkout/issues/12',
};

type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  elements?: { text?: string | { text: string }; url?: string; action_id?: string; style?: string }[];
};
const blocksOf = (v: Record<string, unknown>): Block[] => v['blocks'] as Block[];
/** Each block's text: a section's or header's, a context's elements', an actions block's button labels. */
const texts = (v: Record<string, unknown>): string[] =>
  blocksOf(v).map(
    (b) =>
      b.text?.text ??
      b.elements?.map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? ''))).join(' | ') ??
      `(${b.type})`,
  );

describe('the App Home view', () => {
  it('shows each incident with severity, status, channel, age and roles, and each item with due date and issue', () => {
    const checkout = incident(3, { title: 'Acme &amp; <!channel> checkout', severity: 1 });
    const payroll = incident(7, { private: true, channelId: null, status: 'identified' });
    const v = appHomeView(
      view({
        incidents: [home(checkout, ['ic', 'scribe']), home(payroll)],
        actions: [
          action(item(1, 3, { text: 'alert on pool size' }), checkout, { overdue: true, issue: GITHUB }),
          action(item(2, 7, { due: null, priority: 'p3', text: '' }), payroll),
        ],
      }),
    );
    expect(v['type']).toBe('home');
    expect(modalProblems(v)).toEqual([]);
    expect(texts(v)).toEqual([
      'Declare incident',
      'Open incidents (2)',
      [
        '*INC-3* · *SEV-1* · investigating · <#C3>',
        'Acme &amp; @\u2060channel checkout',
        `Declared <!date^${DECLARED / 1000}^{ago}|2 h 00 min ago> · You: Incident Commander, Scribe`,
      ].join('\n'),
      [
        ':lock: *INC-7* · *SEV-2* · identified · _channel pending_',
        'Checkout returns 500s',
        `Declared <!date^${DECLARED / 1000}^{ago}|2 h 00 min ago> · You: _no role_`,
      ].join('\n'),
      '(divider)',
      'Your open action items (2, 1 overdue)',
      [
        '*P1* alert on pool size · due 2026-12-01 :warning: *overdue*',
        'INC-3 Acme &amp; @\u2060channel checkout <#C3> · <https://github.com/acme/checkout/issues/12|acme/checkout#12>',
      ].join('\n'),
      '*P3* _(text redacted)_\nINC-7 Checkout returns 500s',
      `Updated <!date^${NOW / 1000}^{date_short_pretty} {time}|2026-12-07 11:00 UTC>. Muster refreshes this tab when an incident changes.`,
    ]);
    const [buttons] = blocksOf(v);
    expect(buttons!.elements).toEqual([
      expect.objectContaining({
        type: 'button',
        action_id: 'home.declare',
        style: 'primary',
        value: 'declare',
      }),
    ]);
  });

  it('words the empty states for the person on call', () => {
    const v = appHomeView(view());
    expect(modalProblems(v)).toEqual([]);
    expect(texts(v)).toEqual([
      'Declare incident',
      'Open incidents (0)',
      ':white_check_mark: No open incidents.',
      '(divider)',
      'Your open action items (0)',
      ':white_check_mark: No open action items assigned to you.',
      expect.stringMatching(/^Updated /),
    ]);
  });

  it('links each incident and the incidents page when the web page is configured, and not a URL that could break out', () => {
    const base = 'https://muster.example.com/ops';
    const v = appHomeView(
      view({
        incidents: [
          home(incident(1), [], `${base}/incidents/1`),
          home(incident(2), [], 'https://x.test/a|b>'),
        ],
        incidentsUrl: `${base}/incidents`,
      }),
    );
    expect(modalProblems(v)).toEqual([]);
    const [buttons] = blocksOf(v);
    expect(buttons!.elements![1]).toEqual(
      expect.objectContaining({ action_id: 'home.web', url: `${base}/incidents`, text: expect.anything() }),
    );
    expect(texts(v)[2]).toMatch(/^\*<https:\/\/muster\.example\.com\/ops\/incidents\/1\|INC-1>\* · /);
    expect(texts(v)[3]).toMatch(/^\*INC-2\* · /);
  });

  it.each(Object.entries(HOSTILE))(
    'stays within Block Kit limits with %s in titles and items',
    (_name, text) => {
      const hostile = incident(1, { title: text });
      const v = appHomeView(
        view({
          incidents: [home(hostile, ['ic'])],
          actions: [action(item(1, 1, { text }), hostile, { issue: { ...GITHUB, key: text } })],
        }),
      );
      expect(modalProblems(v)).toEqual([]);
      const all = JSON.stringify(v);
      expect(all).not.toMatch(/<!(channel|here|everyone|subteam)/);
      for (const t of texts(v)) expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    },
  );

  it('shows at most 45 incidents and 45 items within 100 blocks, and counts the rest', () => {
    const many = Array.from({ length: 300 }, (_, i) => incident(i + 1, { title: '😀'.repeat(3000) }));
    const v = appHomeView(
      view({
        incidents: many.map((i) => home(i, ['ic', 'comms', 'scribe', 'tech'])),
        actions: many.map((i) =>
          action(item(i.number, i.number, { text: '&'.repeat(5000) }), i, { overdue: true }),
        ),
        incidentsUrl: 'https://muster.example.com/incidents',
      }),
    );
    expect(modalProblems(v)).toEqual([]);
    expect(blocksOf(v).length).toBeLessThanOrEqual(SLACK_LIMITS.viewBlocks);
    expect(blocksOf(v).filter((b) => b.block_id?.startsWith('home:incident:'))).toHaveLength(
      MAX_HOME_INCIDENTS,
    );
    expect(blocksOf(v).filter((b) => b.block_id?.startsWith('home:action:'))).toHaveLength(MAX_HOME_ACTIONS);
    const lines = texts(v);
    expect(lines).toContain('Open incidents (300)');
    expect(lines).toContain('Your open action items (300, 300 overdue)');
    expect(lines).toContain(
      '…and 255 more open incidents: `/incident list` shows them all, as does <https://muster.example.com/incidents|the incidents page>.',
    );
    expect(lines).toContain('…and 255 more items: `/incident actions --all` lists them.');
  });
});
