/** The issue an action item becomes: a plain one-line title, a markdown body that escapes user text, a link back. */
import { describe, expect, it } from 'vitest';
import { issueDraft, mentionedUsers } from '../../../src/adapters/trackers/issue-draft.js';
import type { ActionItem } from '../../../src/domain/action-item.js';
import { incidentRecord } from '../../support/incident-record.js';

const AT = Date.UTC(2026, 10, 23, 9, 0, 0);
const incident = incidentRecord({
  number: 42,
  title: 'Checkout & <payments> fail',
  severity: 1,
  teamId: 'T0TEAM',
  channelId: 'C0INC',
  channelName: 'inc-42-checkout',
  declaredBy: 'U0ALICE',
  declaredAt: AT,
  updatedAt: AT,
});
const item = (text: string, o: Partial<ActionItem> = {}): ActionItem => ({
  id: 7,
  incidentNumber: 42,
  text,
  ownerId: 'U0BOB',
  priority: 'p0',
  due: '2026-12-01',
  createdBy: 'U0ALICE',
  createdAt: AT,
  doneAt: null,
  doneBy: null,
  ...o,
});
const names = { U0BOB: 'Bob Martinez', U0CAROL: 'Carol' };
const draft = (text: string, o: Partial<ActionItem> = {}) =>
  issueDraft({
    item: item(text, o),
    incident,
    idempotencyKey: 'muster-T0TEAM-action-7',
    names,
    assignee: 'bobm',
  });

describe('issueDraft', () => {
  it('carries the action, owner, priority, due date and a link back to the incident', () => {
    const d = draft('ask <@U0CAROL> to *rotate* the keys & check <https://wiki.example/k|the wiki>');
    expect(d).toMatchObject({
      idempotencyKey: 'muster-T0TEAM-action-7',
      title: 'ask @Carol to *rotate* the keys & check the wiki (https://wiki.example/k)',
      priority: 'p0',
      due: '2026-12-01',
      assignee: 'bobm',
      incidentRef: 'INC-42',
      incidentUrl: 'https://slack.com/app_redirect?channel=C0INC&team=T0TEAM',
    });
    expect(d.body).toContain(
      '[INC-42: Checkout & \\<payments> fail (SEV-1)](https://slack.com/app_redirect?channel=C0INC&team=T0TEAM)',
    );
    expect(d.body).toContain('ask @Carol to **rotate** the keys & check [the wiki](https://wiki.example/k)');
    expect(d.body).toContain('- Priority: P0\n- Owner: Bob Martinez (in Slack)\n- Due: 2026-12-01');
  });

  it('says so when there is no owner, date or channel yet', () => {
    const d = issueDraft({
      item: item('x', { ownerId: null, due: null }),
      incident: { ...incident, channelId: null },
      idempotencyKey: 'k',
      names: {},
      assignee: null,
    });
    expect(d.incidentUrl).toBeNull();
    expect(d.body).toContain('incident INC-42: Checkout & \\<payments> fail (SEV-1).');
    expect(d.body).toContain('- Owner: none yet\n- Due: no date');
  });

  it('keeps hostile text on one title line, cut on a whole emoji, and whole in the body', () => {
    const long = `${'😀'.repeat(199)}\n${'x'.repeat(40_000)}`;
    const d = draft(long);
    expect([...d.title]).toHaveLength(200);
    expect(d.title.endsWith('…')).toBe(true);
    expect(d.title).not.toMatch(/\n|[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(d.body).toContain('x'.repeat(40_000));
    expect(draft('<!channel> <!subteam^S1|@oncall> `code` # heading').body).not.toContain('<!channel>');
    expect(draft('   ').title).toBe('Follow-up of INC-42');
  });

  it('finds the people mentioned in a text', () => {
    expect(mentionedUsers('<@U0BOB> and <@W0CAROL|carol> and <@U0BOB> and <#C1>')).toEqual([
      'U0BOB',
      'W0CAROL',
    ]);
  });
});
