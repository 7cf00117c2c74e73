/** The contract of the App Home's viewers: one row a person, the latest open kept, the most recent listed first. */
import { expect, it } from 'vitest';
import { T0, type UseStore } from './fixtures.js';

const DAY = 24 * 60 * 60 * 1000;

export function homeViewerContract(use: UseStore): void {
  it('lists who opened the Home since a time, most recent first, ties by user id, at most the limit', async () => {
    const store = use();
    expect(await store.homeViewers.recent(0, 10)).toEqual([]);
    await store.homeViewers.opened('U0CAROL', T0);
    await store.homeViewers.opened('U0BOB', T0 + 2 * DAY);
    await store.homeViewers.opened('U0ALICE', T0 + 2 * DAY);
    await store.homeViewers.opened('U0DAN', T0 - 40 * DAY);
    expect(await store.homeViewers.recent(T0 - 30 * DAY, 10)).toEqual(['U0ALICE', 'U0BOB', 'U0CAROL']);
    expect(await store.homeViewers.recent(T0 - 30 * DAY, 2)).toEqual(['U0ALICE', 'U0BOB']);
    expect(await store.homeViewers.recent(T0, 10)).toEqual(['U0ALICE', 'U0BOB', 'U0CAROL']);
    expect(await store.homeViewers.recent(T0 + 1, 10)).toEqual(['U0ALICE', 'U0BOB']);
    expect(await store.homeViewers.recent(0, 10)).toEqual(['U0ALICE', 'U0BOB', 'U0CAROL', 'U0DAN']);
  });

  it('keeps one row a person: a later open moves it forward, an older one (a late redelivery) does not', async () => {
    const store = use();
    await store.homeViewers.opened('U0BOB', T0);
    await store.homeViewers.opened('U0CAROL', T0 + 10);
    await store.homeViewers.opened('U0BOB', T0 + 20);
    expect(await store.homeViewers.recent(0, 10)).toEqual(['U0BOB', 'U0CAROL']);
    await store.homeViewers.opened('U0BOB', T0 + 5);
    expect(await store.homeViewers.recent(T0 + 15, 10)).toEqual(['U0BOB']);
  });

  it('forgets those last seen before a time, the longest gone first, at most the limit, and says how many', async () => {
    const store = use();
    await store.homeViewers.opened('U0DAN', T0 - 40 * DAY);
    await store.homeViewers.opened('U0ERIN', T0 - 40 * DAY);
    await store.homeViewers.opened('U0CAROL', T0 - 35 * DAY);
    await store.homeViewers.opened('U0BOB', T0 - 30 * DAY);
    await store.homeViewers.opened('U0ALICE', T0);
    expect(await store.homeViewers.forget(T0 - 30 * DAY, 2)).toBe(2);
    expect(await store.homeViewers.recent(0, 10)).toEqual(['U0ALICE', 'U0BOB', 'U0CAROL']);
    // the time itself is not before it: U0BOB stays
    expect(await store.homeViewers.forget(T0 - 30 * DAY, 10)).toBe(1);
    expect(await store.homeViewers.recent(0, 10)).toEqual(['U0ALICE', 'U0BOB']);
    expect(await store.homeViewers.forget(T0 - 30 * DAY, 10)).toBe(0);
    // opening again records them again
    await store.homeViewers.opened('U0DAN', T0 + 1);
    expect(await store.homeViewers.recent(T0, 10)).toEqual(['U0DAN', 'U0ALICE']);
  });

  it('rolls an open back with the transaction it was recorded in', async () => {
    const store = use();
    await expect(
      store.tx(async () => {
        await store.homeViewers.opened('U0BOB', T0);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.homeViewers.recent(0, 10)).toEqual([]);
  });
}
