/** `note <text>` on in-memory ports: stored through the group commit, once per request. */
import { describe, expect, it } from 'vitest';
import { addNote } from '../../src/app/timeline/add-note.js';
import { declared } from './declared.js';

describe('addNote', () => {
  it('stores the note as typed, by its author, at the time it was typed', async () => {
    const { ports, incident } = await declared();
    ports.clock.advanceMinutes(7);
    const { entry } = await addNote(ports, {
      incident,
      userId: 'U0BOB',
      text: 'restarted <@U0CAROL>’s pod',
      requestKey: 't1',
    });
    expect(entry).toMatchObject({
      kind: 'note',
      text: 'restarted <@U0CAROL>’s pod',
      actor: 'U0BOB',
      occurredAt: ports.clock.now(),
      sourceKey: 'note:t1',
      number: 3,
    });
    expect((await ports.store.timeline.list(1)).at(-1)).toEqual(entry);
  });

  it('adds a repeated request once, answering with the stored entry', async () => {
    const { ports, incident } = await declared();
    const input = { incident, userId: 'U0BOB', text: 'once', requestKey: 'trigger-1' };
    const [first, again] = (await Promise.all([addNote(ports, input), addNote(ports, input)])).map(
      (r) => r.entry,
    );
    expect(again).toEqual(first);
    expect((await ports.store.timeline.list(1)).filter((e) => e.kind === 'note')).toHaveLength(1);
  });

  it('adds notes without a request key as separate entries', async () => {
    const { ports, incident } = await declared();
    const input = { incident, userId: 'U0BOB', text: 'same words', requestKey: null };
    await addNote(ports, input);
    await addNote(ports, input);
    expect((await ports.store.timeline.list(1)).filter((e) => e.text === 'same words')).toHaveLength(2);
  });
});
