/**
 * Deleted means deleted: a message deleted in Slack, and an entry blanked with `/incident redact`, leave no
 * trace of their words in the timeline, the message cache, the stored events, the export, or the bytes of
 * the database file and its write-ahead log. Late events do not bring the words back.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { exportPostmortem } from '../../src/compose-export.js';
import { type IncidentChannel, openIncident } from '../support/incident-channel.js';
import type { Harness } from '../support/muster-harness.js';
import { startPagingWorld } from '../support/paging-world.js';
import { removeTempDirs } from '../support/temp-dir.js';

let c: IncidentChannel | null = null;
afterEach(async () => {
  await c?.h.stop().catch(() => {});
  c = null;
});
afterAll(() => removeTempDirs());

const text = (r: { json: Record<string, unknown> | null }): string => String(r.json?.text ?? '');

/** Which of the database's files (the file, its write-ahead log, its index) hold `needle`, byte for byte. */
function filesHolding(h: Harness, needle: string): string[] {
  const bytes = Buffer.from(needle, 'utf8');
  return ['', '-wal', '-shm']
    .map((suffix) => h.dbFile + suffix)
    .filter((f) => existsSync(f) && readFileSync(f).includes(bytes))
    .map((f) => f.slice(h.dbFile.length) || '.db');
}

/** Every place Muster's rows could hold `needle`, as readable rows (for a clear failure before the bytes). */
function rowsHolding(h: Harness, needle: string): string[] {
  const db = h.app.sqlite!.db.$client;
  const hits: string[] = [];
  for (const { name } of db
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
    .all() as { name: string }[]) {
    for (const row of db.prepare(`select * from "${name}"`).all() as Record<string, unknown>[]) {
      if (JSON.stringify(row).includes(needle)) hits.push(`${name}: ${JSON.stringify(row).slice(0, 200)}`);
    }
  }
  return hits;
}

const exported = async (h: Harness): Promise<string> =>
  (await exportPostmortem(h.app.config, 'INC-1', h.clock.now())).markdown;

/** A Slack message event as Slack sends it: the words in `text`, in rich text blocks, and in a file's name. */
function richMessage(channel: string, ts: string, user: string, words: string, fileName: string) {
  return {
    type: 'message',
    channel,
    user,
    ts,
    text: words,
    blocks: [
      {
        type: 'rich_text',
        block_id: 'b1',
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: words }] }],
      },
    ],
    files: [
      {
        id: 'F0SECRET',
        name: fileName,
        title: fileName,
        mimetype: 'text/plain',
        url_private: `https://files.example/${fileName}`,
        permalink: `https://files.example/p/${fileName}`,
      },
    ],
    client_msg_id: '0a2c6a36-4a8b-4a4e-9c55-7f5d3c1a0001',
  };
}

describe('a message deleted in Slack', () => {
  it('leaves no trace of its words: timeline, cache, events, drafts, export, database file and log', async () => {
    c = await openIncident();
    const { h } = c;
    const ws = h.slack.workspace;
    const secret = 'db-password=Tr0ub4dor-3-deleted';
    const fileName = 'creds-tr0ub4dor.txt';
    const edited = 'db-password=Tr0ub4dor-4-edited';
    // The message exists in the fake Slack; Muster receives it as Slack sends it, with blocks and a file.
    const ts = await c.say('U0BOB', secret, { deliver: false });
    await h.event(richMessage(c.channel, ts, 'U0BOB', secret, fileName));
    await h.idle();
    await c.react('U0CAROL', ts);
    h.clock.advanceMinutes(2);
    await h.event(ws.userEditMessage({ user: 'U0BOB', channel: c.channel, ts, text: edited }));
    await h.idle();
    await c.command('postmortem');
    await h.idle();
    expect(await c.entryOf(ts)).toMatchObject({ text: edited, originalText: secret });
    // The check below can see the words: before the deletion they are in the rows and on disk.
    expect(rowsHolding(h, secret).length).toBeGreaterThan(0);
    expect(filesHolding(h, secret).length + filesHolding(h, edited).length).toBeGreaterThan(0);

    h.clock.advanceMinutes(5);
    const deletedAt = h.clock.now();
    await h.event(ws.userDeleteMessage({ user: 'U0BOB', channel: c.channel, ts }));
    await h.idle();

    const entry = (await c.entryOf(ts))!;
    expect(entry).toMatchObject({ state: 'deleted', text: '', originalText: null, actor: 'U0BOB' });
    expect(entry.meta).toMatchObject({ deletedAt, files: [], messageTs: ts });
    expect(await h.app.deps.store.messages.get(c.channel, ts)).toMatchObject({
      text: '',
      files: [],
      deletedAt,
    });
    const view = text(await c.command('timeline'));
    expect(view).toContain(`*Bob* · <`);
    expect(view).toContain(`Message> _(message deleted in Slack at 2026-11-23 09:07)_`);
    const md = await exported(h);
    expect(md).toMatch(
      /\| 09:00 \| Bob \| Message \| _\(message deleted in Slack at 09:07; its text is not kept\)_/,
    );
    for (const words of [secret, edited, fileName, 'Tr0ub4dor']) {
      expect(md).not.toContain(words);
      expect(view).not.toContain(words);
      expect(rowsHolding(h, words)).toEqual([]);
      expect(filesHolding(h, words)).toEqual([]);
    }

    // Late and repeated deliveries: the original event again (a new id: it was lost and sent again), an
    // edit, a second deletion, a reaction; none brings the words back.
    await h.event(richMessage(c.channel, ts, 'U0BOB', secret, fileName));
    await h.event({
      type: 'message',
      subtype: 'message_changed',
      channel: c.channel,
      ts: '1795424999.000100',
      message: {
        type: 'message',
        user: 'U0BOB',
        ts,
        text: edited,
        edited: { user: 'U0BOB', ts: '1795424998.000000' },
      },
      previous_message: { type: 'message', user: 'U0BOB', ts, text: secret },
    });
    await h.event({
      type: 'message',
      subtype: 'message_deleted',
      channel: c.channel,
      ts: '1795425000.000100',
      deleted_ts: ts,
      previous_message: { type: 'message', user: 'U0BOB', ts, text: secret },
    });
    await h.event({
      type: 'reaction_added',
      user: 'U0ALICE',
      reaction: 'pushpin',
      item_user: 'U0BOB',
      item: { type: 'message', channel: c.channel, ts },
    });
    await h.idle();
    expect(await c.entryOf(ts)).toMatchObject({ state: 'deleted', text: '', originalText: null });
    expect((await c.entryOf(ts))!.meta.deletedAt).toBe(deletedAt);
    for (const words of [secret, edited, fileName]) {
      expect(rowsHolding(h, words)).toEqual([]);
      expect(filesHolding(h, words)).toEqual([]);
      expect(await exported(h)).not.toContain(words);
    }
    // The stored events still say what happened, without the words.
    const stored = h.app
      .sqlite!.db.$client.prepare("select body from inbound_events where body like '%message_deleted%'")
      .all() as { body: string }[];
    expect(stored).toHaveLength(2);
    expect(JSON.parse(stored[0]!.body).event.previous_message).toMatchObject({ ts, user: 'U0BOB', text: '' });

    // And after the process stops (its last checkpoint), the file alone holds nothing of them either.
    await h.app.stop();
    for (const words of [secret, edited, fileName]) expect(filesHolding(h, words)).toEqual([]);
  });

  it('blanks a message deleted after it was taken off the timeline, and a new 📌 does not restore it', async () => {
    c = await openIncident();
    const { h } = c;
    const secret = 'token=ghp_removedThenDeleted42';
    const ts = await c.say('U0BOB', secret);
    await c.react('U0CAROL', ts);
    await c.unreact('U0CAROL', ts);
    expect(await c.entryOf(ts)).toMatchObject({ state: 'removed', text: secret });
    await h.event(h.slack.workspace.userDeleteMessage({ user: 'U0BOB', channel: c.channel, ts }));
    await h.idle();
    expect(await c.entryOf(ts)).toMatchObject({ state: 'removed', text: '' });
    await h.event({
      type: 'reaction_added',
      user: 'U0CAROL',
      reaction: 'pushpin',
      item: { type: 'message', channel: c.channel, ts },
    });
    await h.idle();
    expect(await c.entryOf(ts)).toMatchObject({ state: 'removed', text: '' });
    expect(rowsHolding(h, secret)).toEqual([]);
    expect(filesHolding(h, secret)).toEqual([]);
  });

  it('blanks a thread parent deleted with replies (Slack leaves a tombstone)', async () => {
    c = await openIncident();
    const { h } = c;
    const secret = 'aws_secret=wJalrXUtnFEMI-tombstone';
    const parent = await c.say('U0BOB', secret);
    await c.say('U0CAROL', 'reply in the thread', { threadTs: parent });
    await c.react('U0CAROL', parent);
    await h.event({
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
      previous_message: { type: 'message', ts: parent, user: 'U0BOB', text: secret },
    });
    await h.idle();
    expect(await c.entryOf(parent)).toMatchObject({ state: 'deleted', text: '' });
    expect(rowsHolding(h, secret)).toEqual([]);
    expect(filesHolding(h, secret)).toEqual([]);
    // The reply, which was not deleted, keeps its words.
    expect(rowsHolding(h, 'reply in the thread').length).toBeGreaterThan(0);
  });

  it('blanks the stored events of a message deleted in a channel that is no incident', async () => {
    c = await openIncident();
    const { h } = c;
    const secret = 'pasted-in-general-Zx9Qw';
    const ts = '1795424400.000900';
    await h.event({ type: 'message', channel: 'C0GENERAL', user: 'U0BOB', text: secret, ts });
    await h.event({
      type: 'message',
      subtype: 'message_deleted',
      channel: 'C0GENERAL',
      deleted_ts: ts,
      ts: '1795424401.000100',
      previous_message: { type: 'message', user: 'U0BOB', text: secret, ts },
    });
    await h.idle();
    expect(rowsHolding(h, secret)).toEqual([]);
    expect(filesHolding(h, secret)).toEqual([]);
  });
});

describe('/incident redact', () => {
  it('numbers entries in the timeline view, numbers that stay when an entry is taken off', async () => {
    c = await openIncident();
    const before = (await c.entries()).length;
    await c.command('note first note');
    const ts = await c.say('U0BOB', 'pinned then unpinned');
    await c.react('U0CAROL', ts);
    await c.command('note second note');
    const numbers = async () => Object.fromEntries((await c!.entries()).map((e) => [e.text, e.number]));
    expect(await numbers()).toMatchObject({
      'first note': before + 1,
      'pinned then unpinned': before + 2,
      'second note': before + 3,
    });
    await c.unreact('U0CAROL', ts);
    // a redelivery takes no number; the next entry takes the next one
    await c.react('U0CAROL', ts);
    await c.command('note third note');
    expect(await numbers()).toMatchObject({
      'first note': before + 1,
      'pinned then unpinned': before + 2,
      'second note': before + 3,
      'third note': before + 4,
    });
    const view = text(await c.command('timeline'));
    expect(view).toMatch(new RegExp(`• #${before + 1} \`2026-11-23 09:00\` \\*Alice\\* · Note: first note`));
    expect(view).toMatch(new RegExp(`• #${before + 4} \`[^\`]+\` \\*Alice\\* · Note: third note`));
    expect(view).toContain('`/incident redact <#>` blanks that entry.');
  });

  it('lets a role holder blank a note and the entry author blank their own message, everywhere', async () => {
    c = await openIncident();
    const { h } = c;
    const inNote = 'the root password is Corr3ct-H0rse-note';
    const inMessage = 'api key sk_live_B4tteryStaple-message';
    const fileName = 'key-B4tteryStaple.pem';
    await c.command(`note ${inNote}`, 'U0BOB');
    const ts = await c.say('U0BOB', inMessage, { deliver: false });
    await h.event(richMessage(c.channel, ts, 'U0BOB', inMessage, fileName));
    await h.idle();
    await c.react('U0CAROL', ts);
    await c.command('postmortem');
    await h.idle();
    const note = (await c.entries()).find((e) => e.kind === 'note')!;
    const message = (await c.entryOf(ts))!;
    expect(rowsHolding(h, inNote).length).toBeGreaterThan(0);

    h.clock.advanceMinutes(4);
    // Alice holds the commander role (declaring gave it to her).
    const r1 = await c.command(`redact ${note.number}`, 'U0ALICE');
    expect(r1.json?.response_type).toBe('ephemeral');
    expect(text(r1)).toContain(
      `:white_check_mark: Entry #${note.number} of INC-1 (Note by <@U0BOB>, 2026-11-23 09:00) is redacted`,
    );
    expect(text(r1)).toContain('The note was echoed in the channel: delete that message in Slack too');
    expect(text(r1)).toContain('A postmortem draft written since already went to the channel');
    expect((await c.entries()).find((e) => e.id === note.id)).toMatchObject({
      text: '',
      state: 'active',
      redactedBy: 'U0ALICE',
      redactedAt: h.clock.now(),
    });

    // Bob holds no role, but the message is his own.
    h.clock.advanceMinutes(1);
    const r2 = await c.command(`redact #${message.number}`, 'U0BOB');
    expect(text(r2)).toContain(`Entry #${message.number} of INC-1 (Message by <@U0BOB>`);
    expect(text(r2)).toContain('The message itself is still in the channel: delete it in Slack');
    expect(await c.entryOf(ts)).toMatchObject({ text: '', redactedBy: 'U0BOB', redactedAt: h.clock.now() });
    expect((await c.entryOf(ts))!.meta.files).toEqual([]);
    expect(await h.app.deps.store.messages.get(c.channel, ts)).toMatchObject({
      text: '',
      files: [],
      deletedAt: null,
    });

    const view = text(await c.command('timeline'));
    expect(view).toContain(
      `• #${note.number} \`2026-11-23 09:00\` *Bob* · Note _(redacted by Alice at 2026-11-23 09:04)_`,
    );
    expect(view).toContain('_(redacted by Bob at 2026-11-23 09:05)_');
    const md = await exported(h);
    expect(md).toContain('| Note | _(redacted by Alice at 09:04)_ |');
    expect(md).toContain('_(redacted by Bob at 09:05)_');
    for (const words of [inNote, inMessage, fileName, 'Corr3ct-H0rse', 'B4tteryStaple']) {
      expect(md).not.toContain(words);
      expect(view).not.toContain(words);
      expect(rowsHolding(h, words)).toEqual([]);
      expect(filesHolding(h, words)).toEqual([]);
    }
    await h.app.stop();
    for (const words of [inNote, inMessage, fileName]) expect(filesHolding(h, words)).toEqual([]);
  });

  it('answers every bad input with what was wrong and the usage, and changes nothing', async () => {
    c = await openIncident();
    const { h } = c;
    await c.command('note keep me', 'U0BOB');
    const noteNumber = (await c.entries()).find((e) => e.kind === 'note')!.number;
    const ts = await c.say('U0BOB', 'soon deleted');
    await c.react('U0CAROL', ts);
    await h.event(h.slack.workspace.userDeleteMessage({ user: 'U0BOB', channel: c.channel, ts }));
    await h.idle();
    const deletedNumber = (await c.entryOf(ts))!.number;
    const usage = 'Usage: `/incident redact <entry number>`';
    const cases: [string, string, string[]][] = [
      [
        'redact',
        'U0ALICE',
        [':warning: Missing the entry number. The entry numbers are in `/incident timeline`.', usage],
      ],
      ['redact   ', 'U0ALICE', ['Missing the entry number.', usage]],
      ['redact abc', 'U0ALICE', ['"abc" is not an entry number.', usage]],
      ['redact 0', 'U0ALICE', ['"0" is not an entry number.', usage]],
      ['redact -2', 'U0ALICE', ['"-2" is not an entry number.', usage]],
      ['redact 1.5', 'U0ALICE', ['"1.5" is not an entry number.', usage]],
      ['redact #', 'U0ALICE', ['"#" is not an entry number.', usage]],
      ['redact 99999999999', 'U0ALICE', ['"99999999999" is not an entry number.', usage]],
      [`redact ${noteNumber} ${noteNumber + 1}`, 'U0ALICE', ['`redact` takes one entry number', usage]],
      [
        'redact 999',
        'U0ALICE',
        ['INC-1 has no entry #999: the entry numbers are in `/incident timeline`.', usage],
      ],
      [
        `redact ${noteNumber}`,
        'U0CAROL',
        [
          `Only the people holding a role in INC-1, <@U0ALICE> (Incident Commander), or the entry's author can redact entry #${noteNumber}.`,
        ],
      ],
      [
        `redact ${deletedNumber}`,
        'U0ALICE',
        [`Entry #${deletedNumber} is a message deleted in Slack: Muster already removed its text`],
      ],
    ];
    for (const [command, user, expected] of cases) {
      const r = await c.command(command, user);
      expect(r.json?.response_type, command).toBe('ephemeral');
      for (const e of expected) expect(text(r), command).toContain(e);
    }
    expect((await c.entries()).every((e) => e.redactedAt === null)).toBe(true);
    expect((await c.entries()).find((e) => e.number === noteNumber)!.text).toBe('keep me');

    // Twice: the second says it is done already.
    expect(text(await c.command(`redact ${noteNumber}`, 'U0ALICE'))).toContain('is redacted');
    const again = await c.command(`redact ${noteNumber}`, 'U0ALICE');
    expect(text(again)).toContain(`:warning: Entry #${noteNumber} is already redacted (by <@U0ALICE>)`);

    // Outside an incident channel.
    const outside = await h.command('redact 1', { user: 'U0ALICE', channel: 'C0GENERAL' });
    expect(text(outside)).toContain(
      "`/incident redact` acts on an incident: run it in the incident's channel.",
    );

    // Help lists it.
    expect(text(await c.command('help'))).toContain(
      '`/incident redact <entry number>`: blank a timeline entry',
    );
    expect(text(await c.command('help redact'))).toContain('`/incident redact <entry number>`');
  });

  it('works on a resolved incident, and for a role given later (the scribe)', async () => {
    c = await openIncident();
    const { h } = c;
    await c.command('role scribe <@U0CAROL>', 'U0ALICE');
    await h.idle();
    await c.command('note secret-on-resolved-Qq7', 'U0BOB');
    await c.command('resolve done', 'U0ALICE');
    await h.idle();
    const n = (await c.entries()).find((e) => e.kind === 'note')!.number;
    const r = await c.command(`redact ${n}`, 'U0CAROL');
    expect(text(r)).toContain(`Entry #${n} of INC-1 (Note by <@U0BOB>`);
    expect(rowsHolding(h, 'secret-on-resolved-Qq7')).toEqual([]);
  });
});

describe('/incident redact on entries that repeat another record', () => {
  it('blanks the action item and the resolution summary with their entries, so the postmortem drops them', async () => {
    c = await openIncident();
    const { h } = c;
    const inAction = 'rotate key AKIA-ACTION-5ecret';
    const inSummary = 'restored with admin pw R3s0lve-5ecret';
    await c.command(`action ${inAction} p1`, 'U0ALICE');
    await c.command(`resolve ${inSummary}`, 'U0ALICE');
    await h.idle();
    const actionEntry = (await c.entries()).find((e) => e.kind === 'action')!;
    const resolvedEntry = (await c.entries()).find((e) => e.kind === 'resolved')!;
    expect(await exported(h)).toContain('AKIA-ACTION-5ecret');

    const r1 = await c.command(`redact ${actionEntry.number}`, 'U0ALICE');
    expect(text(r1)).toContain('The action item it records is blanked too');
    const r2 = await c.command(`redact ${resolvedEntry.number}`, 'U0ALICE');
    expect(text(r2)).toContain("The incident's resolution summary is blanked too.");
    expect((await h.app.deps.store.actions.list(c.incident.number))[0]).toMatchObject({
      text: '',
      priority: 'p1',
    });
    expect((await h.app.deps.store.incidents.get(c.incident.number))!.summary).toBeNull();
    for (const words of ['AKIA-ACTION-5ecret', 'R3s0lve-5ecret']) {
      expect(await exported(h)).not.toContain(words);
      expect(rowsHolding(h, words)).toEqual([]);
      expect(filesHolding(h, words)).toEqual([]);
    }
  });
});

describe('/incident redact on a page', () => {
  it("blanks the page's message, and says PagerDuty has it", async () => {
    const world = await startPagingWorld();
    try {
      const incident = await world.declare('sev2 checkout returns 500s');
      await world.inChannel(incident, 'page checkout vpn pw is Pag3-5ecret');
      await world.h.idle();
      const entry = (await world.h.app.deps.store.timeline.list(incident.number)).find(
        (e) => e.kind === 'page',
      )!;
      const r = await world.inChannel(incident, `redact ${entry.number}`, 'U0ALICE');
      expect(String(r.json?.text)).toContain(
        "The page's message is blanked too; PagerDuty received it when the page went out: remove it there.",
      );
      expect((await world.h.app.deps.store.pages.list(incident.number))[0]!.message).toBeNull();
      const md = (await exportPostmortem(world.h.app.config, `INC-${incident.number}`, world.clock.now()))
        .markdown;
      expect(md).not.toContain('Pag3-5ecret');
      expect(rowsHolding(world.h, 'Pag3-5ecret')).toEqual([]);
      expect(filesHolding(world.h, 'Pag3-5ecret')).toEqual([]);
    } finally {
      await world.stop();
    }
  });
});

describe('retention', () => {
  it('purges processed events after RETENTION_DAYS and cached messages once their incident is resolved', async () => {
    c = await openIncident({ env: { RETENTION_DAYS: '3' } });
    const { h } = c;
    const store = h.app.store;
    const ts = await c.say('U0BOB', 'an old message');
    await c.react('U0CAROL', ts);
    const DAY = 86_400_000;
    // A delivery still waiting to be processed, and one whose processing gave up after the last retry.
    await store.inbound.record('slack', 'EvPENDING', '{"pending":true}', h.clock.now());
    await store.inbound.record('slack', 'EvGAVEUP', '{"gave":"up"}', h.clock.now());
    for (let i = 0; i < 5; i++) await store.inbound.markFailed('slack', 'EvGAVEUP', 'boom');
    const ids = () =>
      (
        h.app.sqlite!.db.$client.prepare('select event_id from inbound_events').all() as {
          event_id: string;
        }[]
      ).map((r) => r.event_id);
    const processed = ids().filter((id) => !['EvPENDING', 'EvGAVEUP'].includes(id));
    expect(processed.length).toBeGreaterThanOrEqual(2);

    // An hour short of three days: everything stays. (The purge runs at most once an hour.)
    h.clock.advance(3 * DAY - 60 * 60_000);
    await h.app.tick();
    expect(ids()).toEqual(expect.arrayContaining([...processed, 'EvPENDING', 'EvGAVEUP']));

    h.clock.advance(2 * 60 * 60_000);
    await h.app.tick();
    expect(ids()).toEqual(['EvPENDING']);
    // The incident is open: its messages stay, so a later reaction or deletion still finds them.
    expect(await store.messages.get(c.channel, ts)).not.toBeNull();
    expect(h.logs.records().some((l) => l.msg === 'purged records past retention')).toBe(true);

    await c.command('resolve fixed', 'U0ALICE');
    await h.idle();
    h.clock.advance(60 * 60_000);
    await h.app.tick();
    expect(await store.messages.get(c.channel, ts)).toBeNull();
    expect(ids()).toContain('EvPENDING');
    // The timeline is the record: it is never purged.
    expect(await c.entryOf(ts)).toMatchObject({ text: 'an old message', state: 'active' });
    expect(filesHolding(h, '"gave":"up"')).toEqual([]);
  });
});
