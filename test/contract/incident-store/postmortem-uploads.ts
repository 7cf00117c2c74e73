/**
 * The contract of sharing postmortem drafts across instances: a draft is held by the drafting instance's lease
 * from its insert, renewed while it uploads, and claimed by another instance only once that lease ran out
 * before it was uploaded or given up, with what sharing it needs (the markdown and the summary's figures).
 */
import { expect, it } from 'vitest';
import type { DraftFigures } from '../../../src/domain/ports.js';
import { declare, T0, type UseStore } from './fixtures.js';

/** What the summary of a resolved incident's draft reports. */
const resolved: DraftFigures = {
  draft: false,
  duration: { ms: 2_700_000, text: '45 min' },
  elapsed: { ms: 2_700_000, text: '45 min' },
  timelineCount: 12,
  actionCount: 2,
};

/** What the summary of an open incident's draft reports: no duration yet. */
const open: DraftFigures = {
  draft: true,
  duration: null,
  elapsed: { ms: 600_000, text: '10 min' },
  timelineCount: 3,
  actionCount: 0,
};

export function postmortemUploadContract(use: UseStore): void {
  /** Draft `content` of incident 1 written at `createdAt`, held by `owner` until `until` when given. */
  const draft = (
    content: string,
    createdAt: number,
    held?: { owner: string; until: number; figures?: DraftFigures },
  ) => ({
    incidentNumber: 1,
    filename: (v: number) => `INC-1-postmortem-v${v}.md`,
    content,
    requestedBy: 'U0ALICE',
    createdAt,
    ...(held
      ? {
          upload: {
            lease: { owner: held.owner, until: held.until },
            figures: held.figures ?? resolved,
          },
        }
      : {}),
  });

  it('leases sharing a draft: held from the insert, renewed by its holder, claimed once its lease ran out, with its markdown and figures', async () => {
    const store = use();
    await declare(store);
    const claim = (owner: string, now: number, limit = 10) =>
      store.postmortems.claimAbandonedUploads({ owner, until: now + 1000, now, limit });
    const v1 = await store.postmortems.add(draft('# v1', T0, { owner: 'instance-a', until: T0 + 20 }));
    // stored before uploads were leased: nobody will ever claim it
    const v2 = await store.postmortems.add(draft('# v2', T0 + 1));
    const v3 = await store.postmortems.add(
      draft('# v3\n\nCheckout “502” 💳', T0 + 2, { owner: 'instance-a', until: T0 + 20, figures: open }),
    );
    // the record is the same with or without a lease
    expect(v1).toMatchObject({ version: 1, fileId: null, uploadedAt: null });

    // a live lease is nobody else's to take
    expect(await claim('instance-b', T0 + 5)).toEqual([]);
    // the holder renews; another instance cannot
    expect(await store.postmortems.renewUpload(v1.id, 'instance-a', T0 + 40)).toBe(true);
    expect(await store.postmortems.renewUpload(v1.id, 'instance-b', T0 + 90)).toBe(false);
    expect(await store.postmortems.renewUpload(v2.id, 'instance-a', T0 + 90)).toBe(false);

    // once a's lease on v3 is over (a died), one claimer gets it, with what sharing it needs
    expect(await claim('instance-b', T0 + 20)).toEqual([
      { postmortem: v3, markdown: '# v3\n\nCheckout “502” 💳', figures: open },
    ]);
    expect(await claim('instance-c', T0 + 20)).toEqual([]);
    expect(await store.postmortems.renewUpload(v3.id, 'instance-a', T0 + 60)).toBe(false);
    expect(await store.postmortems.renewUpload(v3.id, 'instance-b', T0 + 60)).toBe(true);

    // a's renewed lease on v1 runs out in turn
    expect(await claim('instance-c', T0 + 39)).toEqual([]);
    expect(await claim('instance-c', T0 + 40)).toEqual([
      { postmortem: v1, markdown: '# v1', figures: resolved },
    ]);

    // uploaded or given up, a draft is nobody's: never renewed, never claimed again
    await store.postmortems.markUploaded(v1.id, 'F1', 'https://slack.test/files/F1', T0 + 41);
    await store.postmortems.markGivenUp(v3.id, T0 + 42);
    expect(await store.postmortems.renewUpload(v1.id, 'instance-c', T0 + 90)).toBe(false);
    expect(await store.postmortems.renewUpload(v3.id, 'instance-b', T0 + 90)).toBe(false);
    expect(await claim('instance-d', T0 + 100_000)).toEqual([]);
    expect(await store.postmortems.latestUploaded(1)).toMatchObject({ version: 1, fileId: 'F1' });
  });

  it('claims the oldest abandoned drafts first, up to the limit, and two claimers at once never get the same', async () => {
    const store = use();
    await declare(store);
    const held = { owner: 'instance-a', until: T0 };
    const ids: number[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await store.postmortems.add(draft(`# v${i + 1}`, T0 + i, held))).id);
    const claim = (owner: string, limit: number) =>
      store.postmortems.claimAbandonedUploads({ owner, until: T0 + 1000, now: T0 + 10, limit });
    expect((await claim('instance-b', 1)).map((u) => u.postmortem.id)).toEqual([ids[0]]);
    expect(await claim('instance-b', 0)).toEqual([]);
    const both = await Promise.all([claim('instance-c', 3), claim('instance-d', 3)]);
    const taken = both.flat().map((u) => u.postmortem.id);
    expect(taken.sort((x, y) => x - y)).toEqual(ids.slice(1));
    for (const one of both) {
      const versions = one.map((u) => u.postmortem.version);
      expect(versions).toEqual([...versions].sort((x, y) => x - y));
    }
  });

  it("hands back a forgotten draft's markdown empty, its figures kept", async () => {
    const store = use();
    await declare(store);
    const v1 = await store.postmortems.add(
      draft('# quotes a deleted message', T0, { owner: 'instance-a', until: T0 }),
    );
    expect(await store.postmortems.forgetContent(1, T0)).toBe(1);
    expect(
      await store.postmortems.claimAbandonedUploads({
        owner: 'instance-b',
        until: T0 + 1000,
        now: T0,
        limit: 5,
      }),
    ).toEqual([{ postmortem: v1, markdown: '', figures: resolved }]);
  });
}
