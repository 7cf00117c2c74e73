/** `redact <n>` on in-memory ports: the entry and every copy of its words are blanked; who may, and what is refused. */
import { describe, expect, it } from 'vitest';
import { recordAction } from '../../src/app/postmortem/record-action.js';
import { addNote } from '../../src/app/timeline/add-note.js';
import { redactEntry } from '../../src/app/timeline/redact-entry.js';
import { DomainError } from '../../src/domain/errors.js';
import { declared } from './declared.js';

const code = async (run: () => Promise<unknown>): Promise<string> => {
  try {
    await run();
    return 'redacted';
  } catch (e) {
    return e instanceof DomainError ? e.code : String(e);
  }
};

describe('redactEntry', () => {
  it('blanks the entry, keeps its number, kind and author, and records who redacted it', async () => {
    const { ports, incident } = await declared();
    const { entry: note } = await addNote(ports, {
      incident,
      userId: 'U0BOB',
      text: 'password hunter2',
      requestKey: 'n1',
    });
    ports.clock.advanceMinutes(1);
    const { notices, ...result } = await redactEntry(ports, {
      incident,
      userId: 'U0ALICE',
      number: note.number,
    });
    expect(notices.map((n) => n.kind)).toEqual(['entry_redacted']);
    expect(result).toEqual({
      entry: { number: note.number, kind: 'note', actor: 'U0BOB', occurredAt: note.occurredAt, meta: {} },
      drafts: 0,
      also: [],
    });
    expect(await ports.store.timeline.byNumber(1, note.number)).toEqual({
      ...note,
      text: '',
      meta: { files: [] },
      redactedBy: 'U0ALICE',
      redactedAt: ports.clock.now(),
    });
  });

  it('blanks an action item and its other entries with it', async () => {
    const { ports, incident } = await declared();
    const { item } = await recordAction(ports, incident, {
      text: 'rotate hunter2',
      ownerId: null,
      priority: 'p0',
      due: null,
      actor: 'U0ALICE',
    });
    const entry = (await ports.store.timeline.bySourceKey(1, `action:${item.id}`))!;
    expect((await redactEntry(ports, { incident, userId: 'U0ALICE', number: entry.number })).also).toEqual([
      'action',
    ]);
    expect((await ports.store.actions.get(item.id))!.text).toBe('');
    expect(
      (await ports.store.timeline.ofAction(1, item.id)).every(
        (e) => e.text === '' && e.redactedBy === 'U0ALICE',
      ),
    ).toBe(true);
  });

  it('forgets the text of postmortem drafts written since the entry was recorded', async () => {
    const { ports, incident } = await declared();
    const { entry: note } = await addNote(ports, {
      incident,
      userId: 'U0ALICE',
      text: 'secret',
      requestKey: 'n1',
    });
    const draft = async (createdAt: number) =>
      ports.store.postmortems.add({
        incidentNumber: 1,
        filename: (v) => `INC-1-v${v}.md`,
        content: '# quoting: secret',
        requestedBy: 'U0ALICE',
        createdAt,
      });
    const older = await draft(note.recordedAt - 1);
    const newer = await draft(note.recordedAt + 1);
    expect((await redactEntry(ports, { incident, userId: 'U0ALICE', number: note.number })).drafts).toBe(1);
    expect(ports.store.rows.postmortems.content(newer.id)).toBe('');
    expect(ports.store.rows.postmortems.content(older.id)).toBe('# quoting: secret');
  });

  it('lets role holders and the author redact, and refuses anyone else, a missing entry, or a second redaction', async () => {
    const { ports, incident } = await declared();
    const { entry: note } = await addNote(ports, {
      incident,
      userId: 'U0BOB',
      text: 'mine',
      requestKey: 'n1',
    });
    const { entry: other } = await addNote(ports, {
      incident,
      userId: 'U0CAROL',
      text: 'hers',
      requestKey: 'n2',
    });
    const redact = (userId: string, number: number) => async () =>
      redactEntry(ports, { incident, userId, number });
    expect(await code(redact('U0DAVE', note.number))).toBe('redact.not_allowed');
    expect(await code(redact('U0BOB', other.number))).toBe('redact.not_allowed');
    expect(await code(redact('U0ALICE', 99))).toBe('redact.no_such_entry');
    expect(await code(redact('U0BOB', note.number))).toBe('redacted');
    expect(await code(redact('U0ALICE', note.number))).toBe('redact.already_redacted');
    expect((await ports.store.timeline.byNumber(1, other.number))!.text).toBe('hers');
  });
});
