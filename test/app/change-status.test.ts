/** Changing the status on in-memory ports: what is stored, and what is refused. */
import { describe, expect, it } from 'vitest';
import { changeStatus } from '../../src/app/incident/change-status.js';
import { DomainError } from '../../src/domain/errors.js';
import { declared } from './declared.js';

describe('changeStatus', () => {
  it('stores the new status with a timeline entry, and the first mitigation time', async () => {
    const { ports } = await declared();
    const start = ports.clock.now();
    ports.clock.advanceMinutes(10);
    const change = await changeStatus(ports, { number: 1, status: 'monitoring', by: 'U0BOB' });
    expect(change.before.status).toBe('investigating');
    expect(await ports.store.incidents.get(1)).toMatchObject({
      status: 'monitoring',
      mitigatedAt: start + 600_000,
      updatedAt: start + 600_000,
    });
    const entry = (await ports.store.timeline.list(1)).at(-1)!;
    expect(entry).toMatchObject({
      kind: 'status',
      text: 'Status changed from investigating to monitoring',
      actor: 'U0BOB',
      meta: { from: 'investigating', to: 'monitoring' },
    });
    expect(change.entries).toEqual([entry]);
    // falling back and mitigating again keeps the first mitigation time
    ports.clock.advanceMinutes(5);
    await changeStatus(ports, { number: 1, status: 'identified', by: 'U0BOB' });
    await changeStatus(ports, { number: 1, status: 'monitoring', by: 'U0BOB' });
    expect((await ports.store.incidents.get(1))!.mitigatedAt).toBe(start + 600_000);
  });

  it('keeps every change made within the same millisecond', async () => {
    const { ports } = await declared();
    for (const status of ['monitoring', 'identified', 'monitoring', 'identified'] as const)
      await changeStatus(ports, { number: 1, status, by: 'U0BOB' });
    const keys = (await ports.store.timeline.list(1))
      .filter((e) => e.kind === 'status')
      .map((e) => e.sourceKey);
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(4);
  });

  it('refuses an impossible change, an unchanged status and an unknown incident, storing nothing', async () => {
    const { ports } = await declared();
    const before = await ports.store.timeline.list(1);
    await changeStatus(ports, { number: 1, status: 'identified', by: 'U0BOB' });
    const after = await ports.store.timeline.list(1);
    const refused = async (status: 'investigating' | 'identified', number = 1) => {
      try {
        await changeStatus(ports, { number, status, by: 'U0BOB' });
      } catch (e) {
        return e instanceof DomainError ? e.code : e;
      }
      return 'stored';
    };
    expect(await refused('investigating')).toBe('incident.invalid_transition');
    expect(await refused('identified')).toBe('incident.unchanged');
    expect(await refused('identified', 99)).toBe('incident.not_found');
    expect(await ports.store.timeline.list(1)).toEqual(after);
    expect(after).toHaveLength(before.length + 1);
    expect((await ports.store.incidents.get(1))!.status).toBe('identified');
  });

  it('resolves through the resolution when asked for `resolved`', async () => {
    const { ports } = await declared();
    await changeStatus(ports, { number: 1, status: 'resolved', by: 'U0BOB' });
    expect(await ports.store.incidents.get(1)).toMatchObject({
      status: 'resolved',
      resolvedAt: ports.clock.now(),
    });
    expect((await ports.store.timeline.list(1)).at(-1)).toMatchObject({ kind: 'resolved', text: 'Resolved' });
  });
});
