/** The timeline's Slack messages (view and note confirmation) and the reading of Slack's event shapes. */
import { describe, expect, it } from 'vitest';
import { noteConfirmation, timelineMessage } from '../../../src/adapters/slack/blocks/timeline.js';
import { reactionOf, seenMessage } from '../../../src/adapters/slack/events/slack-message.js';
import type { TimelineLine, TimelineView } from '../../../src/adapters/slack/blocks/timeline-view.js';

const line = (o: Partial<TimelineLine> = {}): TimelineLine => ({
  number: 4,
  date: '2026-10-25',
  time: '02:30 (+02:00)',
  actor: 'Bob',
  kind: 'message',
  kindLabel: 'Message',
  text: 'Rolled back',
  cut: false,
  edited: false,
  deleted: false,
  deletedAt: null,
  redacted: null,
  permalink: null,
  files: [],
  ...o,
});

const view = (lines: TimelineLine[], o: Partial<TimelineView['page']> = {}): TimelineView => ({
  incidentNumber: 7,
  title: 'Checkout <down> & out',
  timeZone: 'Europe/Berlin',
  page: { entries: lines, page: 1, pages: 1, total: lines.length, first: 1, last: lines.length, ...o },
});

describe('timelineMessage', () => {
  it('shows date, time, actor, kind and text, escaping what people wrote', () => {
    const t = timelineMessage(view([line({ actor: 'Eve <admin>', text: 'a <!channel> & b' })])).text;
    expect(t).toContain(
      '*INC-7 timeline* · Checkout &lt;down&gt; &amp; out · 1 entry · times in Europe/Berlin',
    );
    expect(t).toContain(
      '• #4 `2026-10-25 02:30 (+02:00)` *Eve &lt;admin&gt;* · Message: a &lt;!channel&gt; &amp; b',
    );
    expect(t).not.toContain('Page ');
  });

  it('marks a deleted message with when it was deleted, and a redacted entry with who and when', () => {
    const t = timelineMessage(
      view([
        line({ number: 2, text: '', deleted: true, deletedAt: '2026-10-25 02:41 (+02:00)' }),
        line({ number: 3, text: '', deleted: true }),
        line({
          number: 5,
          kind: 'note',
          kindLabel: 'Note',
          text: '',
          redacted: { by: 'Eve <a>', at: '2026-10-25 02:50 (+01:00)' },
        }),
      ]),
    ).text;
    expect(t).toContain(
      '• #2 `2026-10-25 02:30 (+02:00)` *Bob* · Message _(message deleted in Slack at 2026-10-25 02:41 (+02:00))_',
    );
    expect(t).toContain('• #3 `2026-10-25 02:30 (+02:00)` *Bob* · Message _(message deleted in Slack)_');
    expect(t).toContain(
      '• #5 `2026-10-25 02:30 (+02:00)` *Bob* · Note _(redacted by Eve &lt;a&gt; at 2026-10-25 02:50 (+01:00))_',
    );
    expect(t).toContain('`/incident redact <#>` blanks that entry.');
  });

  it('links the kind to the message, lists files, and marks edits and cut texts', () => {
    const t = timelineMessage(
      view([
        line({
          permalink: 'https://acme.slack.com/archives/C1/p1?thread_ts=1&cid=C1',
          edited: true,
          cut: true,
          files: [
            { name: 'graph|1.png', url: 'https://files/x|y' },
            { name: 'no-link.txt', url: '' },
          ],
        }),
      ]),
    ).text;
    expect(t).toContain(
      '<https://acme.slack.com/archives/C1/p1?thread_ts=1&cid=C1|Message>: Rolled back _(edited)_',
    );
    expect(t).toContain(':paperclip: <https://files/x%7Cy|graph|1.png>, no-link.txt');
    expect(t).toContain('Long texts are cut here.');
  });

  it('pages with a count, the next page and the export', () => {
    const t = timelineMessage(view([line()], { page: 2, pages: 3, total: 65, first: 31, last: 60 })).text;
    expect(t).toContain('Page 2 of 3 (entries 31–60 of 65) · next: `/incident timeline 3`');
    expect(t).toContain('`npm run muster -- export INC-7`');
    const last = timelineMessage(view([line()], { page: 3, pages: 3, total: 65, first: 61, last: 65 })).text;
    expect(last).toContain('Page 3 of 3 (entries 61–65 of 65)');
    expect(last).not.toContain('next:');
  });

  it('says how to start an empty timeline', () => {
    expect(timelineMessage(view([], { total: 0, first: 0, last: 0 })).text).toContain('No entries yet.');
  });
});

describe('noteConfirmation', () => {
  it('quotes the note as plain text, names resolved, specials defused, long notes cut', () => {
    const t = noteConfirmation(3, 'U1', 'ping <!here> <@U2>\nsecond line', { U2: 'Carol' }).text;
    expect(t).toBe(':memo: <@U1> added a note to the INC-3 timeline:\n>ping @here @Carol\n>second line');
    // cut by UTF-16 units (what Slack's limits count, never less), between graphemes
    const long = noteConfirmation(3, 'U1', '😀'.repeat(400), {}).text;
    expect(long.endsWith(`>${'😀'.repeat(150)}…`)).toBe(true);
    const family = '👩🏽‍💻'.repeat(100);
    const cut = noteConfirmation(3, 'U1', family, {}).text;
    expect(cut.slice(cut.indexOf('\n>') + 2, -1).replaceAll('👩🏽‍💻', '')).toBe('');
  });
});

describe('reading Slack events', () => {
  it('reads a message, a reply and a bot message', () => {
    expect(seenMessage('C1', { ts: '1.000100', user: 'U1', text: 'hi' })).toEqual({
      channelId: 'C1',
      ts: '1.000100',
      threadTs: null,
      userId: 'U1',
      text: 'hi',
      files: [],
    });
    expect(
      seenMessage('C1', { ts: '2.000100', thread_ts: '1.000100', user: 'U1', text: 'r' })?.threadTs,
    ).toBe('1.000100');
    expect(seenMessage('C1', { ts: '1.000100', thread_ts: '1.000100', user: 'U1' })).toMatchObject({
      threadTs: null,
      text: '',
    });
    expect(seenMessage('C1', { ts: '3.000100', bot_id: 'B1', text: 'deployed' })?.userId).toBe('B1');
    expect(
      seenMessage('C1', {
        ts: '4.000100',
        user: 'U1',
        files: [{ name: 'a.png', permalink: 'https://p', url_private: 'https://u', mimetype: 'image/png' }],
      })?.files,
    ).toEqual([{ name: 'a.png', url: 'https://p', mimetype: 'image/png' }]);
    for (const bad of [null, undefined, 'x', {}, { ts: 'nope' }, { ts: 12 }])
      expect(seenMessage('C1', bad)).toBeNull();
  });

  it('reads reactions on messages only', () => {
    const ok = {
      type: 'reaction_added',
      user: 'U1',
      reaction: 'pushpin',
      item_user: 'U2',
      item: { type: 'message', channel: 'C1', ts: '1.000100' },
    };
    expect(reactionOf(ok)).toEqual({
      channelId: 'C1',
      ts: '1.000100',
      userId: 'U1',
      reaction: 'pushpin',
      itemUser: 'U2',
    });
    expect(reactionOf({ ...ok, item_user: undefined })?.itemUser).toBeNull();
    expect(reactionOf({ ...ok, item: { type: 'file', file: 'F1' } })).toBeNull();
    expect(reactionOf({ ...ok, item: { type: 'message', channel: 'C1' } })).toBeNull();
    expect(reactionOf({ ...ok, user: undefined })).toBeNull();
    expect(reactionOf({ ...ok, reaction: '' })).toBeNull();
    expect(reactionOf({ type: 'reaction_added' })).toBeNull();
  });
});
