/** The timeline end to end: notes and reactions in, exactly one entry each, edits and deletions, time zones. */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tsToMillis } from '../../src/domain/timeline.js';
import { around, type IncidentChannel, openIncident } from '../support/incident-channel.js';
import { removeTempDirs } from '../support/temp-dir.js';

let c: IncidentChannel | null = null;
afterEach(async () => {
  await c?.h.stop().catch(() => {});
  c = null;
});
afterAll(() => removeTempDirs());

const text = (r: { json: Record<string, unknown> | null }): string => String(r.json?.text ?? '');

describe('reactions put messages on the timeline', () => {
  it('adds the reacted message with its author, its own time and a permalink, from the database', async () => {
    c = await openIncident();
    const { h } = c;
    const ts = await c.say('U0BOB', 'Rolled back deploy 4521, error rate falling');
    h.clock.advanceMinutes(25);
    await c.react('U0CAROL', ts);

    const e = (await c.entryOf(ts))!;
    expect(e).toMatchObject({
      kind: 'message',
      text: 'Rolled back deploy 4521, error rate falling',
      actor: 'U0BOB',
      state: 'active',
    });
    expect(e.occurredAt).toBe(tsToMillis(ts));
    expect(e.recordedAt).toBe(h.clock.now());
    expect(e.meta).toMatchObject({
      channelId: c.channel,
      messageTs: ts,
      permalink: `${h.slack.baseUrl}/archives/${c.channel}/p${ts.replace('.', '')}`,
      addedBy: 'U0CAROL',
    });
    // The message was seen arriving: no history call was needed.
    expect(h.slack.callsTo('conversations.history')).toHaveLength(0);

    const view = text(await c.command('timeline'));
    expect(view).toContain('*Bob* · ');
    expect(view).toContain('Message>: Rolled back deploy 4521, error rate falling');
    expect(view).toMatch(/`2026-11-23 09:00` \*Bob\*/);
  });

  it('writes later permalinks itself once Slack has given one', async () => {
    c = await openIncident();
    const first = await c.say('U0BOB', 'first');
    const second = await c.say('U0BOB', 'second');
    const reply = await c.say('U0CAROL', 'in the thread', { threadTs: first });
    for (const ts of [first, second, reply]) await c.react('U0ALICE', ts);
    expect(c.h.slack.callsTo('chat.getPermalink')).toHaveLength(1);
    const base = `${c.h.slack.baseUrl}/archives/${c.channel}`;
    expect((await c.entryOf(second))!.meta.permalink).toBe(`${base}/p${second.replace('.', '')}`);
    expect((await c.entryOf(reply))!.meta.permalink).toBe(
      `${base}/p${reply.replace('.', '')}?thread_ts=${first}&cid=${c.channel}`,
    );
  });

  it('fetches a message it never saw, once, with conversations.history', async () => {
    c = await openIncident();
    const ts = await c.say('U0BOB', 'posted while Muster was away', { deliver: false });
    await c.react('U0CAROL', ts);
    await c.react('U0ALICE', ts);
    expect(await c.entryOf(ts)).toMatchObject({ text: 'posted while Muster was away', actor: 'U0BOB' });
    const calls = c.h.slack.callsTo('conversations.history');
    expect(calls).toHaveLength(1);
    // Form-encoded on the wire, so every argument arrives as a string.
    expect(calls[0]!.args).toMatchObject({
      channel: c.channel,
      latest: ts,
      oldest: ts,
      inclusive: 'true',
      limit: '1',
    });
  });

  it('counts skin tones and every configured reaction, and ignores other emoji', async () => {
    c = await openIncident({ env: { TIMELINE_EMOJI: 'pushpin, :round_pushpin:' } });
    const a = await c.say('U0BOB', 'a');
    const b = await c.say('U0BOB', 'b');
    const d = await c.say('U0BOB', 'd');
    await c.react('U0CAROL', a, 'pushpin::skin-tone-3');
    await c.react('U0CAROL', b, 'round_pushpin');
    await c.react('U0CAROL', d, 'thumbsup');
    expect((await c.entryOf(a))?.state).toBe('active');
    expect((await c.entryOf(b))?.state).toBe('active');
    expect(await c.entryOf(d)).toBeUndefined();
    await c.unreact('U0CAROL', a, 'pushpin::skin-tone-3');
    expect((await c.entryOf(a))?.state).toBe('removed');
  });
});

describe('exactly once', () => {
  it('gives one entry for the same event delivered three times with retry headers', async () => {
    c = await openIncident();
    const { h } = c;
    const ts = await c.say('U0BOB', 'DB failover started');
    const event = h.slack.workspace.userAddReaction({
      user: 'U0CAROL',
      channel: c.channel,
      ts,
      reaction: 'pushpin',
    });
    const first = await h.event(event, { eventId: 'Ev0RETRY1' });
    const second = await h.event(event, { eventId: 'Ev0RETRY1', retryNum: 1, retryReason: 'http_timeout' });
    const third = await h.event(event, { eventId: 'Ev0RETRY1', retryNum: 2, retryReason: 'http_error' });
    await h.idle();
    expect([first.status, second.status, third.status]).toEqual([200, 200, 200]);
    expect((await c.entries()).filter((e) => e.meta.messageTs === ts)).toHaveLength(1);
    expect(h.logs.text.match(/repeated event ignored/g)).toHaveLength(2);
    const m = await h.metrics();
    expect(m).toContain('muster_events_total{source="slack",outcome="duplicate"} 2');
  });

  it('keeps the entry while one reactor remains, removes it with the last, and restores it on a new reaction', async () => {
    c = await openIncident();
    const ts = await c.say('U0BOB', 'Cache hit rate back to 98%');
    await c.react('U0CAROL', ts);
    await c.react('U0ALICE', ts);
    expect((await c.entries()).filter((e) => e.meta.messageTs === ts)).toHaveLength(1);

    await c.unreact('U0CAROL', ts);
    expect((await c.entryOf(ts))?.state).toBe('active');
    await c.unreact('U0ALICE', ts);
    expect((await c.entryOf(ts))?.state).toBe('removed');
    expect(text(await c.command('timeline'))).not.toContain('Cache hit rate');

    await c.react('U0BOB', ts);
    expect((await c.entries()).filter((e) => e.meta.messageTs === ts)).toEqual([
      expect.objectContaining({ state: 'active' }),
    ]);
  });

  it('finishes after a restart an event stored but not processed when the process died', async () => {
    c = await openIncident();
    const ts = await c.say('U0BOB', 'Found it: expired TLS cert on the payment gateway');
    const event = c.h.slack.workspace.userAddReaction({
      user: 'U0CAROL',
      channel: c.channel,
      ts,
      reaction: 'pushpin',
    });
    // What the receiver stores before answering Slack; the process dies before handling it.
    const body = JSON.stringify({
      type: 'event_callback',
      team_id: 'T0MUSTER',
      event_id: 'Ev0CRASHED',
      event,
    });
    await c.h.app.deps.store.inbound.record('slack', 'Ev0CRASHED', body, c.h.clock.now(), {
      owner: 'the instance that died',
      until: c.h.clock.now() + 20_000,
    });
    expect(await c.entryOf(ts)).toBeUndefined();

    // The restarted process is another instance: it takes the event over once the dead one's lease is over.
    c.h.clock.advance(20_000);
    const h2 = await c.h.restart();
    c = await around(h2);
    await h2.idle();
    expect(await c.entryOf(ts)).toMatchObject({
      text: 'Found it: expired TLS cert on the payment gateway',
      state: 'active',
    });
    expect(await h2.app.deps.store.inbound.isProcessed('slack', 'Ev0CRASHED')).toBe(true);
    // Slack retrying it after the restart changes nothing.
    await h2.event(event, { eventId: 'Ev0CRASHED', retryNum: 1 });
    await h2.idle();
    expect((await c.entries()).filter((e) => e.meta.messageTs === ts)).toHaveLength(1);
  });

  it('retries an event whose handling failed on the next periodic sweep', async () => {
    c = await openIncident();
    const ts = await c.say('U0BOB', 'Paged the payments team');
    const event = c.h.slack.workspace.userAddReaction({
      user: 'U0CAROL',
      channel: c.channel,
      ts,
      reaction: 'pushpin',
    });
    const { inbound } = c.h.app.deps.store;
    await inbound.record(
      'slack',
      'Ev0FAILED1',
      JSON.stringify({ type: 'event_callback', event_id: 'Ev0FAILED1', event }),
      c.h.clock.now(),
    );
    await inbound.markFailed('slack', 'Ev0FAILED1', 'database is locked');
    c.h.clock.advance(5_000);
    await c.h.app.tick();
    expect((await c.entryOf(ts))?.state).toBe('active');
    expect(await inbound.isProcessed('slack', 'Ev0FAILED1')).toBe(true);
  });
});

describe('threads, files, edits and deletions', () => {
  it('adds a thread reply with its parent, seen or fetched with conversations.replies', async () => {
    c = await openIncident();
    const parent = await c.say('U0BOB', 'Checkout latency thread');
    const seen = await c.say('U0CAROL', 'p99 is 4.2 s', { threadTs: parent });
    const unseen = await c.say('U0CAROL', 'p99 is 900 ms now', { threadTs: parent, deliver: false });
    await c.react('U0ALICE', seen);
    await c.react('U0ALICE', unseen);
    expect(await c.entryOf(seen)).toMatchObject({
      text: 'p99 is 4.2 s',
      actor: 'U0CAROL',
      meta: { threadTs: parent },
    });
    expect(await c.entryOf(unseen)).toMatchObject({
      text: 'p99 is 900 ms now',
      actor: 'U0CAROL',
      meta: { threadTs: parent },
    });
    expect(c.h.slack.callsTo('conversations.replies')).toHaveLength(1);
  });

  it('keeps the names and links of attached files and images', async () => {
    c = await openIncident();
    const ws = c.h.slack.workspace;
    const file = ws.reserveFile({ filename: 'latency.png', length: 4 }, 'U0BOB');
    ws.receiveFileContent(file.id, Buffer.from('\x89PNG'));
    ws.completeFiles([{ id: file.id }], 'U0BOB', { channel: c.channel, initialComment: 'p99 graph' });
    const posted = ws.messages(c.channel).at(-1)!;
    await c.h.event({ ...ws.messageEvent(ws.channel(c.channel)!, posted), subtype: 'file_share' });
    await c.react('U0CAROL', posted.ts);
    const e = (await c.entryOf(posted.ts))!;
    expect(e.text).toBe('p99 graph');
    expect(e.meta.files).toEqual([expect.objectContaining({ name: 'latency.png', mimetype: 'image/png' })]);
    expect(e.meta.files![0]!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(text(await c.command('timeline'))).toMatch(/:paperclip: <http[^|]+\|latency\.png>/);
  });

  it('follows edits (keeping the original text) and deletions (blanking the text)', async () => {
    c = await openIncident();
    const { h } = c;
    const ws = h.slack.workspace;
    const ts = await c.say('U0BOB', 'Root cause: DNS');
    await c.react('U0CAROL', ts);
    h.clock.advanceMinutes(3);
    await h.event(
      ws.userEditMessage({ user: 'U0BOB', channel: c.channel, ts, text: 'Root cause: expired certificate' }),
    );
    await h.idle();
    expect(await c.entryOf(ts)).toMatchObject({
      text: 'Root cause: expired certificate',
      originalText: 'Root cause: DNS',
      state: 'active',
    });
    expect((await c.entryOf(ts))!.meta.editedAt).toBe(h.clock.now());
    await h.event(
      ws.userEditMessage({
        user: 'U0BOB',
        channel: c.channel,
        ts,
        text: 'Root cause: expired TLS certificate',
      }),
    );
    await h.idle();
    expect(await c.entryOf(ts)).toMatchObject({
      text: 'Root cause: expired TLS certificate',
      originalText: 'Root cause: DNS',
    });
    expect(text(await c.command('timeline'))).toContain('Root cause: expired TLS certificate _(edited)_');

    await h.event(ws.userDeleteMessage({ user: 'U0BOB', channel: c.channel, ts }));
    await h.idle();
    expect(await c.entryOf(ts)).toMatchObject({ state: 'deleted', text: '', originalText: null });
    expect(text(await c.command('timeline'))).toContain(
      'Message> _(message deleted in Slack at 2026-11-23 09:03)_',
    );
  });

  it('records an edit of a message not on the timeline, so a later reaction takes the new text', async () => {
    c = await openIncident();
    const ws = c.h.slack.workspace;
    const ts = await c.say('U0BOB', 'typo');
    await c.h.event(ws.userEditMessage({ user: 'U0BOB', channel: c.channel, ts, text: 'fixed' }));
    await c.react('U0CAROL', ts);
    expect(await c.entryOf(ts)).toMatchObject({ text: 'fixed', originalText: null });
  });

  it('marks a thread parent deleted when Slack leaves a tombstone', async () => {
    c = await openIncident();
    const parent = await c.say('U0BOB', 'Starting the failover');
    await c.react('U0CAROL', parent);
    const tombstone = {
      type: 'message',
      subtype: 'message_changed',
      hidden: true,
      channel: c.channel,
      ts: '1795000000.000200',
      message: {
        type: 'message',
        subtype: 'tombstone',
        ts: parent,
        user: 'USLACKBOT',
        text: 'This message was deleted.',
        thread_ts: parent,
      },
      previous_message: { type: 'message', ts: parent, user: 'U0BOB', text: 'Starting the failover' },
    };
    await c.h.event(tombstone);
    await c.h.idle();
    expect(await c.entryOf(parent)).toMatchObject({ state: 'deleted', text: '' });
  });
});

describe('notes and the timeline view', () => {
  it('adds a note by its author at the time it was typed, confirmed in the channel', async () => {
    c = await openIncident();
    c.h.clock.advanceMinutes(7);
    const r = await c.command('note Customers report failed payments in EU <!channel>', 'U0BOB');
    expect(r.json?.response_type).toBe('in_channel');
    expect(text(r)).toContain(':memo: <@U0BOB> added a note to the INC-1 timeline');
    expect(text(r)).toContain('Customers report failed payments in EU @channel');
    expect(text(r)).not.toContain('<!channel>');
    const note = (await c.entries()).find((e) => e.kind === 'note')!;
    expect(note).toMatchObject({
      actor: 'U0BOB',
      text: 'Customers report failed payments in EU <!channel>',
      occurredAt: c.h.clock.now(),
    });
    expect(text(await c.command('timeline'))).toMatch(
      /`2026-11-23 09:07` \*Bob\* · Note: Customers report failed payments in EU @channel/,
    );
  });

  it('refuses a note without text, and outside an incident channel', async () => {
    c = await openIncident();
    expect(text(await c.command('note'))).toContain(':warning:');
    expect(text(await c.h.command('note hello', { channel: 'C0GENERAL' }))).toContain('acts on an incident');
    expect((await c.entries()).filter((e) => e.kind === 'note')).toHaveLength(0);
  });

  it('takes notes on a resolved incident (postmortem material)', async () => {
    c = await openIncident();
    await c.h.app.deps.store.incidents.update(
      c.incident.number,
      { status: 'resolved', resolvedAt: c.h.clock.now() },
      c.h.clock.now(),
    );
    const r = await c.command('note Customer comms sent');
    expect(r.json?.response_type).toBe('in_channel');
    expect((await c.entries()).some((e) => e.kind === 'note' && e.text === 'Customer comms sent')).toBe(true);
  });

  it('pages a long timeline with a count and a pointer to the export', async () => {
    c = await openIncident();
    for (let i = 1; i <= 63; i++) {
      c.h.clock.advanceMinutes(1);
      await c.command(`note step ${i}`);
    }
    const first = text(await c.command('timeline'));
    expect(first).toContain('65 entries');
    expect(first.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(30);
    expect(first).toContain('Page 1 of 3 (entries 1–30 of 65) · next: `/incident timeline 2`');
    expect(first).toContain('`npm run muster -- export INC-1`');
    expect(first).toContain('`/incident postmortem`');
    const last = text(await c.command('timeline 3'));
    expect(last.split('\n').filter((l) => l.startsWith('• '))).toHaveLength(5);
    expect(last).toContain('Page 3 of 3 (entries 61–65 of 65)');
    expect(last).toContain('Note: step 63');
    const beyond = text(await c.command('timeline 4'));
    expect(beyond).toContain(':warning: The timeline has 3 pages (65 entries); there is no page 4.');
    expect(text(await c.command('timeline two'))).toContain(':warning:');
  });

  it('shows names instead of ids and Slack markup as readable text', async () => {
    c = await openIncident();
    const ts = await c.say(
      'U0BOB',
      'Asked <@U0CAROL> to check <#C0GENERAL|general> and <https://status.example.com|the status page> &amp; logs',
    );
    await c.react('U0ALICE', ts);
    const view = text(await c.command('timeline'));
    expect(view).toContain(
      'Asked @Carol to check #general and the status page (https://status.example.com) &amp; logs',
    );
    expect(view).not.toContain('<@U0CAROL>');
    expect(view).toContain('*Alice* · Role: @Alice is Incident Commander');
  });

  it('shows times in INCIDENT_TIMEZONE with the date, right across the October DST change', async () => {
    // Berlin leaves summer time on 2026-10-25: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice.
    c = await openIncident({
      env: { INCIDENT_TIMEZONE: 'Europe/Berlin' },
      at: Date.UTC(2026, 9, 24, 21, 50),
    });
    const { h } = c;
    const at = async (iso: string, words: string) => {
      h.clock.set(Date.parse(iso));
      const ts = await c!.say('U0BOB', words);
      await c!.react('U0CAROL', ts);
    };
    await at('2026-10-24T22:30:00Z', 'before midnight in UTC, after it in Berlin');
    await at('2026-10-25T00:30:00Z', 'first 02:30');
    await at('2026-10-25T01:30:00Z', 'second 02:30');
    await at('2026-10-25T02:30:00Z', 'an hour later');
    const stored = (await c.entries())
      .filter((e) => e.kind === 'message')
      .map((e) => new Date(e.occurredAt).toISOString());
    expect(stored).toEqual([
      '2026-10-24T22:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T01:30:00.000Z',
      '2026-10-25T02:30:00.000Z',
    ]);
    const view = text(await c.command('timeline'));
    expect(view).toContain('times in Europe/Berlin');
    expect(view).toContain('• #1 `2026-10-24 23:50` *Alice* · Declared');
    expect(view).toMatch(/• #\d+ `2026-10-25 00:30` \*Bob\* · /);
    expect(view).toMatch(/• #\d+ `2026-10-25 02:30 \(\+02:00\)` \*Bob\* · <[^>]+>: first 02:30/);
    expect(view).toMatch(/• #\d+ `2026-10-25 02:30 \(\+01:00\)` \*Bob\* · <[^>]+>: second 02:30/);
    expect(view).toMatch(/• #\d+ `2026-10-25 03:30` \*Bob\* · <[^>]+>: an hour later/);
  });
});
