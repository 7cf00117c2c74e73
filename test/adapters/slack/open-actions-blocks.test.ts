/**
 * The `/incident actions --all` message: what each item shows (priority, owner, due date with overdue marked,
 * issue link), the empty answer, and Slack's limits whatever people typed (40,000 characters, `&<>`, emoji and
 * markup at the cut, hundreds of incidents and items), checked with the sandbox's own Block Kit rules.
 */
import { describe, expect, it } from 'vitest';
import type { OpenAction, OpenActionsView } from '../../../src/app/follow-ups/open-actions.js';
import { openActionsMessage } from '../../../src/adapters/slack/blocks/open-actions.js';
import type { ActionItem } from '../../../src/domain/action-item.js';
import type { Incident } from '../../../src/domain/incident.js';
import type { TrackerIssueRef } from '../../../src/domain/ports.js';
import { SLACK_LIMITS } from '../../../src/adapters/slack/text-fit.js';
import { incidentRecord } from '../../support/incident-record.js';
import { messageProblems } from '../../support/slack-limits.js';

const AT = Date.UTC(2026, 10, 30, 9, 0);

const HOSTILE: Record<string, string> = {
  '40,000 characters': 'x'.repeat(40_000),
  '3,000 &': '&'.repeat(3000),
  '3,000 <': '<'.repeat(3000),
  '3,000 >': '>'.repeat(3000),
  'escaped by Slack already': '&amp;&lt;&gt;'.repeat(1500),
  'emoji at every cut': '😀'.repeat(2000),
  'skin tones and ZWJ': '👩🏽‍💻👍🏿🏳️‍🌈'.repeat(500),
  'links and mentions at the cut':
    `${'a'.repeat(190)}<https://example.com/${'p'.repeat(50)}|label><@U0BOB><!subteam^S1|@db>`.repeat(30),
  broadcasts: '<!channel> <!here|here> <!everyone> <!subteam^S0123|@oncall> '.repeat(200),
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
    declaredAt: AT,
    updatedAt: AT,
    ...o,
  });

const item = (id: number, incidentNumber: number, o: Partial<ActionItem> = {}): ActionItem => ({
  id,
  incidentNumber,
  text: `action ${id}`,
  ownerId: 'U0BOB',
  priority: 'p1',
  due: '2026-12-01',
  createdBy: 'U0ALICE',
  createdAt: AT,
  doneAt: null,
  doneBy: null,
  ...o,
});

const action = (i: ActionItem, o: Partial<OpenAction> = {}): OpenAction => ({
  item: i,
  issue: null,
  overdue: false,
  ...o,
});

const GITHUB: TrackerIssueRef = {
  tracker: 'github',
  id: '12',
  key: 'acme/checkout#12',
  url: 'https://github.com/acme/checkout/issues/12',
};

const sections = (m: { blocks?: unknown[] }): string[] =>
  (m.blocks ?? []).map((b) => {
    const block = b as { text?: { text: string }; elements?: { text: string }[] };
    return block.text?.text ?? block.elements?.map((e) => e.text).join(' ') ?? '';
  });

describe('the open action items across incidents', () => {
  it('groups items by incident, with priority, owner, due date, overdue marked, and issue', () => {
    const view: OpenActionsView = {
      today: '2026-11-30',
      incidents: [
        {
          incident: incident(3, { title: 'Acme &amp; <!channel> checkout' }),
          actions: [
            action(item(1, 3, { text: 'alert on pool size' }), { overdue: true, issue: GITHUB }),
            action(item(2, 3, { text: 'write the runbook', ownerId: null, due: null, priority: 'p3' })),
          ],
        },
        {
          incident: incident(7, { private: true, channelId: null }),
          actions: [action(item(3, 7, { due: '2026-12-24', priority: 'p0' }))],
        },
      ],
    };
    const m = openActionsMessage(view);
    expect(messageProblems(m)).toEqual([]);
    expect(m.text).toBe('Open action items: 3 open action items across 2 incidents, 1 overdue');
    expect(sections(m)).toEqual([
      '*Open action items* (3 open action items across 2 incidents, 1 overdue, as of 2026-11-30)',
      [
        '*INC-3* · Acme &amp; @\u2060channel checkout · <#C3>',
        '• *P1* alert on pool size · owner <@U0BOB> · due 2026-12-01 :warning: *overdue* · <https://github.com/acme/checkout/issues/12|acme/checkout#12>',
        '• *P3* write the runbook · _no owner_',
      ].join('\n'),
      [
        ':lock: *INC-7* · Checkout returns 500s · _channel pending_',
        '• *P0* action 3 · owner <@U0BOB> · due 2026-12-24',
      ].join('\n'),
    ]);
  });

  it('says so in a sentence when there is nothing open', () => {
    expect(openActionsMessage({ today: '2026-11-30', incidents: [] })).toEqual({
      text: ':white_check_mark: No open action items in the incidents you can see.',
    });
    expect(
      openActionsMessage({ today: '2026-11-30', incidents: [{ incident: incident(1), actions: [] }] }).blocks,
    ).toBeUndefined();
  });

  it('shows an issue whose link could break out as its key alone, escaped, and a redacted item as such', () => {
    const hostile: TrackerIssueRef = {
      tracker: 'jira',
      id: '1',
      key: 'OPS-1 <!channel> &',
      url: 'javascript:alert(1)|x>',
    };
    const long: TrackerIssueRef = { ...GITHUB, url: `https://github.com/${'a'.repeat(5000)}` };
    const m = openActionsMessage({
      today: '2026-11-30',
      incidents: [
        {
          incident: incident(1),
          actions: [
            action(item(1, 1), { issue: hostile }),
            action(item(2, 1), { issue: long }),
            action(item(3, 1, { text: '' })),
          ],
        },
      ],
    });
    expect(messageProblems(m)).toEqual([]);
    const [, body] = sections(m);
    expect(body).toContain('· OPS-1 &lt;!channel&gt; &amp;');
    expect(body).toContain('· acme/checkout#12');
    expect(body).not.toContain('aaaa');
    expect(body).toContain('• *P1* _(text redacted)_');
  });

  it('counts the items a section cannot hold, and the incidents past 50 blocks', () => {
    const many = Array.from({ length: 120 }, (_, n) => ({
      incident: incident(n + 1),
      actions: Array.from({ length: 100 }, (_, k) =>
        action(item(n * 100 + k, n + 1, { text: 'y'.repeat(300) })),
      ),
    }));
    const m = openActionsMessage({ today: '2026-11-30', incidents: many });
    expect(messageProblems(m)).toEqual([]);
    expect(m.blocks).toHaveLength(SLACK_LIMITS.messageBlocks);
    const texts = sections(m);
    const first = texts[1]!;
    const listed = first.split('\n').filter((l) => l.startsWith('• ')).length;
    expect(listed).toBeGreaterThan(5);
    expect(first).toMatch(new RegExp(`…and ${100 - listed} more: \`/incident actions\` there\\.$`));
    expect(texts.at(-1)).toBe('…and 7200 items in 72 more incidents: `/incident actions` in their channels.');
    expect(m.text).toBe('Open action items: 12000 open action items across 120 incidents');
  });
});

describe.each(Object.entries(HOSTILE))('fed %s', (_name, text) => {
  it('stays within Slack limits and sends no broadcast', () => {
    const incidents = Array.from({ length: 60 }, (_, n) => ({
      incident: incident(n + 1, { title: text, private: n % 2 === 1 }),
      actions: Array.from({ length: 15 }, (_, k) =>
        action(item(n * 15 + k, n + 1, { text, ownerId: k % 3 ? 'U0BOB' : null }), {
          overdue: k % 2 === 0,
          issue: k % 4 === 0 ? { ...GITHUB, key: text.slice(0, 500) } : null,
        }),
      ),
    }));
    const m = openActionsMessage({ today: '2026-11-30', incidents });
    expect(messageProblems(m)).toEqual([]);
    expect(JSON.stringify(m)).not.toMatch(/<!(?:channel|here|everyone|subteam|group)/);
    for (const s of sections(m)) expect(s.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
  });
});
