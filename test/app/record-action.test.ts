/** Action items on in-memory ports: recorded with their entry, done once, owners checked with Slack. */
import { describe, expect, it } from 'vitest';
import { checkOwner, completeAction, recordAction } from '../../src/app/postmortem/record-action.js';
import { DomainError } from '../../src/domain/errors.js';
import { declared } from './declared.js';

const input = {
  text: 'alert on index lag',
  ownerId: 'U0BOB',
  priority: 'p1' as const,
  due: '2026-12-01',
  actor: 'U0ALICE',
};

describe('recordAction', () => {
  it('stores the item and its timeline entry together', async () => {
    const { ports, incident } = await declared();
    const { item } = await recordAction(ports, incident, input);
    expect(await ports.store.actions.list(1)).toEqual([item]);
    expect(item).toMatchObject({
      text: 'alert on index lag',
      ownerId: 'U0BOB',
      priority: 'p1',
      createdBy: 'U0ALICE',
    });
    expect(await ports.store.timeline.ofAction(1, item.id)).toEqual([
      expect.objectContaining({
        kind: 'action',
        text: 'Action item (P1): alert on index lag, owner <@U0BOB>, due 2026-12-01',
        sourceKey: `action:${item.id}`,
        meta: { actionId: item.id, priority: 'p1', ownerId: 'U0BOB', due: '2026-12-01' },
      }),
    ]);
  });

  it('marks an item done once, with one entry', async () => {
    const { ports, incident } = await declared();
    const { item } = await recordAction(ports, incident, input);
    ports.clock.advanceMinutes(30);
    expect(await completeAction(ports, item.id, 'U0BOB')).toMatchObject({
      changed: true,
      item: { doneAt: ports.clock.now(), doneBy: 'U0BOB' },
    });
    expect((await completeAction(ports, item.id, 'U0CAROL')).changed).toBe(false);
    expect((await ports.store.timeline.ofAction(1, item.id)).map((e) => e.text)).toEqual([
      'Action item (P1): alert on index lag, owner <@U0BOB>, due 2026-12-01',
      'Action item done: alert on index lag',
    ]);
    await expect(completeAction(ports, 999, 'U0BOB')).rejects.toThrow(DomainError);
  });

  it('accepts a person as owner and refuses a bot, a deactivated account or someone Slack does not know', async () => {
    const { ports } = await declared();
    ports.chat.addUser({ id: 'U0BOB' });
    ports.chat.addUser({ id: 'B0BOT', isBot: true });
    ports.chat.addUser({ id: 'U0GONE', deleted: true });
    const code = (id: string) =>
      checkOwner(ports, id).then(
        () => 'ok',
        (e: DomainError) => e.code,
      );
    expect(await code('U0BOB')).toBe('ok');
    expect(await code('B0BOT')).toBe('action.bot_owner');
    expect(await code('U0GONE')).toBe('action.unknown_owner');
    expect(await code('U0NOBODY')).toBe('action.unknown_owner');
    // the profile is cached: asking again does not call Slack
    await code('U0BOB');
    expect(ports.chat.callsOf('userInfo').filter(([id]) => id === 'U0BOB')).toHaveLength(1);
  });
});
