/** The contract of what an incident gathers: action items, postmortem drafts, services and runbooks, reminders, users. */
import { expect, it } from 'vitest';
import type { Priority } from '../../../src/domain/command.js';
import { declare, T0, type UseStore } from './fixtures.js';

export function actionContract(use: UseStore): void {
  const item = (text: string, priority: Priority, createdAt = T0, incidentNumber = 1) => ({
    incidentNumber,
    text,
    ownerId: 'U0BOB',
    priority,
    due: '2026-12-01',
    createdBy: 'U0ALICE',
    createdAt,
  });

  it('adds an item, not done, and reads it back', async () => {
    const store = use();
    await declare(store);
    const added = await store.actions.add(item('rotate the keys', 'p1'));
    expect(added).toEqual({
      id: expect.any(Number),
      ...item('rotate the keys', 'p1'),
      doneAt: null,
      doneBy: null,
    });
    expect(await store.actions.get(added.id)).toEqual(added);
    expect(await store.actions.get(added.id + 100)).toBeNull();
    await expect(store.actions.add(item('orphan', 'p1', T0, 9))).rejects.toThrow();
  });

  it('lists by priority, then by when recorded, then as added', async () => {
    const store = use();
    await declare(store);
    await declare(store, { title: 'other' });
    await store.actions.add(item('p2 early', 'p2', T0));
    await store.actions.add(item('p0 late', 'p0', T0 + 50));
    await store.actions.add(item('p2 same time', 'p2', T0));
    await store.actions.add(item('p0 early', 'p0', T0 + 1));
    await store.actions.add(item('p3', 'p3', T0));
    await store.actions.add(item('elsewhere', 'p0', T0, 2));
    expect((await store.actions.list(1)).map((a) => a.text)).toEqual([
      'p0 early',
      'p0 late',
      'p2 early',
      'p2 same time',
      'p3',
    ]);
  });

  it('marks an item done once, and blanks its text keeping the rest', async () => {
    const store = use();
    await declare(store);
    const a = await store.actions.add(item('rotate the keys', 'p1'));
    expect(await store.actions.markDone(a.id, 'U0BOB', T0 + 9)).toBe(true);
    expect(await store.actions.markDone(a.id, 'U0CAROL', T0 + 10)).toBe(false);
    expect(await store.actions.markDone(a.id + 100, 'U0BOB', T0)).toBe(false);
    await store.actions.blankText(a.id);
    expect(await store.actions.get(a.id)).toEqual({ ...a, text: '', doneAt: T0 + 9, doneBy: 'U0BOB' });
  });
}

export function postmortemContract(use: UseStore): void {
  const draft = (incidentNumber: number, createdAt: number) => ({
    incidentNumber,
    filename: (v: number) => `INC-${incidentNumber}-postmortem-v${v}.md`,
    content: '# Postmortem',
    requestedBy: 'U0ALICE',
    createdAt,
  });

  it('numbers the drafts of each incident from 1, naming each file after its version', async () => {
    const store = use();
    await declare(store);
    await declare(store, { title: 'other' });
    const v1 = await store.postmortems.add(draft(1, T0));
    expect(v1).toEqual({
      id: expect.any(Number),
      incidentNumber: 1,
      version: 1,
      filename: 'INC-1-postmortem-v1.md',
      fileId: null,
      permalink: null,
      requestedBy: 'U0ALICE',
      createdAt: T0,
      uploadedAt: null,
    });
    expect((await store.postmortems.add(draft(1, T0 + 1))).version).toBe(2);
    expect(await store.postmortems.add(draft(2, T0 + 1))).toMatchObject({
      version: 1,
      filename: 'INC-2-postmortem-v1.md',
    });
    expect(await store.postmortems.add(draft(1, T0 + 2))).toMatchObject({
      version: 3,
      filename: 'INC-1-postmortem-v3.md',
    });
    await expect(store.postmortems.add(draft(9, T0))).rejects.toThrow();
  });

  it('finds the newest uploaded draft, not the newest draft', async () => {
    const store = use();
    await declare(store);
    const v1 = await store.postmortems.add(draft(1, T0));
    const v2 = await store.postmortems.add(draft(1, T0 + 1));
    await store.postmortems.add(draft(1, T0 + 2));
    expect(await store.postmortems.latestUploaded(1)).toBeNull();
    await store.postmortems.markUploaded(v1.id, 'F1', 'https://slack.test/files/F1', T0 + 5);
    expect(await store.postmortems.latestUploaded(1)).toEqual({
      ...v1,
      fileId: 'F1',
      permalink: 'https://slack.test/files/F1',
      uploadedAt: T0 + 5,
    });
    await store.postmortems.markUploaded(v2.id, 'F2', null, T0 + 6);
    expect(await store.postmortems.latestUploaded(1)).toMatchObject({
      version: 2,
      fileId: 'F2',
      permalink: null,
    });
    expect(await store.postmortems.latestUploaded(2)).toBeNull();
  });

  it('forgets the content of the drafts written since a time, and says how many', async () => {
    const store = use();
    await declare(store);
    await declare(store, { title: 'other' });
    await store.postmortems.add(draft(1, T0));
    const since = await store.postmortems.add(draft(1, T0 + 10));
    await store.postmortems.add(draft(1, T0 + 20));
    await store.postmortems.add(draft(2, T0 + 30));
    await store.postmortems.markUploaded(since.id, 'F2', 'https://slack.test/files/F2', T0 + 11);
    expect(await store.postmortems.forgetContent(1, T0 + 10)).toBe(2);
    expect(await store.postmortems.forgetContent(1, T0 + 100)).toBe(0);
    // the record stays: the headline still links the uploaded file
    expect(await store.postmortems.latestUploaded(1)).toMatchObject({ version: 2, fileId: 'F2' });
  });
}

export function serviceContract(use: UseStore): void {
  it('attaches a service once, listing them in the order attached', async () => {
    const store = use();
    await declare(store);
    await declare(store, { title: 'other' });
    expect(await store.services.attach(1, 'search', T0 + 5)).toBe(true);
    expect(await store.services.attach(1, 'search', T0 + 6)).toBe(false);
    expect(await store.services.attach(1, 'db', T0)).toBe(true);
    expect(await store.services.attach(1, 'cache', T0 + 5)).toBe(true);
    expect(await store.services.attach(2, 'search', T0)).toBe(true);
    expect(await store.services.attached(1)).toEqual([
      { service: 'db', attachedAt: T0 },
      { service: 'cache', attachedAt: T0 + 5 },
      { service: 'search', attachedAt: T0 + 5 },
    ]);
    expect(await store.services.attached(3)).toEqual([]);
    await expect(store.services.attach(9, 'search', T0)).rejects.toThrow();
  });

  it('links a runbook URL once per incident; the first link stays', async () => {
    const store = use();
    await declare(store);
    await declare(store, { title: 'other' });
    const link = {
      incidentNumber: 1,
      service: 'search',
      title: 'Search',
      url: 'https://rb/search',
      linkedBy: 'U0ALICE',
      linkedAt: T0 + 5,
    };
    const first = await store.services.link(link);
    expect(first).toEqual({ id: expect.any(Number), ...link });
    expect(await store.services.link({ ...link, title: 'Again', linkedAt: T0 + 9 })).toBeNull();
    expect(await store.services.linkOf(1, 'https://rb/search')).toEqual(first);
    expect(await store.services.linkOf(1, 'https://rb/none')).toBeNull();
    const early = await store.services.link({
      ...link,
      service: null,
      url: 'https://rb/by-hand',
      linkedAt: T0,
    });
    const tie = await store.services.link({ ...link, url: 'https://rb/tie' });
    expect(await store.services.link({ ...link, incidentNumber: 2 })).not.toBeNull();
    expect(await store.services.links(1)).toEqual([early, first, tie]);
    await expect(store.services.link({ ...link, incidentNumber: 9 })).rejects.toThrow();
  });
}

export function reminderContract(use: UseStore): void {
  it('claims a reminder once, gives a claim back, and lists the keys claimed', async () => {
    const store = use();
    await declare(store);
    await declare(store, { title: 'other' });
    expect(await store.reminders.claim(1, 'update:2', T0)).toBe(true);
    expect(await store.reminders.claim(1, 'update:2', T0 + 1)).toBe(false);
    expect(await store.reminders.claim(1, 'update:1', T0)).toBe(true);
    expect(await store.reminders.claim(2, 'update:2', T0)).toBe(true);
    expect((await store.reminders.keys(1)).sort()).toEqual(['update:1', 'update:2']);
    await store.reminders.release(1, 'update:2');
    await store.reminders.release(1, 'never-claimed');
    expect(await store.reminders.keys(1)).toEqual(['update:1']);
    expect(await store.reminders.claim(1, 'update:2', T0 + 2)).toBe(true);
    expect(await store.reminders.keys(3)).toEqual([]);
    await expect(store.reminders.claim(9, 'update:1', T0)).rejects.toThrow();
  });
}

export function userContract(use: UseStore): void {
  const alice = { id: 'U0ALICE', name: 'alice', displayName: 'Alice', isBot: false, deleted: false };

  it('caches a profile with when it was fetched, replaced by the next fetch', async () => {
    const store = use();
    expect(await store.users.get('U0ALICE')).toBeNull();
    await store.users.put(alice, T0);
    expect(await store.users.get('U0ALICE')).toEqual({ ...alice, fetchedAt: T0 });
    await store.users.put({ ...alice, displayName: 'Alice L.', deleted: true }, T0 + 5);
    expect(await store.users.get('U0ALICE')).toEqual({
      ...alice,
      displayName: 'Alice L.',
      deleted: true,
      fetchedAt: T0 + 5,
    });
  });

  it('reads many profiles at once, leaving out the unknown ones', async () => {
    const store = use();
    await store.users.put(alice, T0);
    await store.users.put({ ...alice, id: 'B0BOT', name: 'bot', displayName: 'Bot', isBot: true }, T0);
    const many = await store.users.many(['U0ALICE', 'B0BOT', 'U0NOBODY', 'U0ALICE']);
    expect(Object.fromEntries(many)).toEqual({
      U0ALICE: alice,
      B0BOT: { ...alice, id: 'B0BOT', name: 'bot', displayName: 'Bot', isBot: true },
    });
    expect((await store.users.many([])).size).toBe(0);
  });
}
