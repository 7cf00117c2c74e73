/** Changing the status on in-memory ports: what is stored, and what is refused. */
import { describe, expect, it } from 'vitest';
import { changeStatus } from '../../src/app/incident/change-status.js';
import { DomainError } from '../../src/domain/errors.js';
import { declared } from './declared.js';

describe('changeStatus', () => {
  it('stores the new status with a timeline entry, and the first mitigation time', () => {
    const { ports } = declared();
    const start = ports.clock.now();
    ports.clock.advanceMinutes(10);
    const change = changeStatus(ports, { number: 1, status: 'monitoring', by: 'U0BOB' });
    expect(change.before.status).toBe('investigating');
    expect(ports.store.incidents.get(1)).toMatchObject({
      status: 'monitoring',
      mitigatedAt: start + 600_000,
      updatedAt: start + 600_000,
    });
    const entry = ports.store.timeline.list(1).at(-1)!;
    expect(entry).toMatchObject({
      kind: 'status',
      text: 'Status changed from investigating to monitoring',
      actor: 'U0BOB',
      meta: { from: 'investigating', to: 'monitoring' },
    });
    expect(change.entries).toEqual([entry]);
    // falling back and mitigating again keeps the first mitigation time
    ports.clock.advanceMinutes(5);
    changeStatus(ports, { number: 1, status: 'identified', by: 'U0BOB' });
    changeStatus(ports, { number: 1, status: 'monitoring', by: 'U0BOB' });
    expect(ports.store.incidents.get(1)!.mitigatedAt).toBe(start + 600_000);
  });

  it('keeps every change made within the same millisecond', () => {
    const { ports } = declared();
    for (const status of ['monitoring', 'identified', 'monitoring', 'identified'] as const)
      changeStatus(ports, { number: 1, status, by: 'U0BOB' });
    const keys = ports.store.timeline
      .list(1)
      .filter((e) => e.kind === 'status')
      .map((e) => e.sourceKey);
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(4);
  });

  it('refuses an impossible change, an unchanged status and an unknown incident, storing nothing', () => {
    const { ports } = declared();
    const before = ports.store.timeline.list(1);
    changeStatus(ports, { number: 1, status: 'identified', by: 'U0BOB' });
    const after = ports.store.timeline.list(1);
    const refused = (status: 'investigating' | 'identified', number = 1) => {
      try {
        changeStatus(ports, { number, status, by: 'U0BOB' });
      } catch (e) {
        return e instanceof DomainError ? e.code : e;
      }
      return 'stored';
    };
    expect(refused('investigating')).toBe('incident.invalid_transition');
    expect(refused('identified')).toBe('incident.unchanged');
    expect(refused('identified', 99)).toBe('incident.not_found');
    expect(ports.store.timeline.list(1)).toEqual(after);
    expect(after).toHaveLength(before.length + 1);
    expect(ports.store.incidents.get(1)!.status).toBe('identified');
  });

  it('resolves through the resolution when asked for `resolved`', () => {
    const { ports } = declared();
    changeStatus(ports, { number: 1, status: 'resolved', by: 'U0BOB' });
    expect(ports.store.incidents.get(1)).toMatchObject({ status: 'resolved', resolvedAt: ports.clock.now() });
    expect(ports.store.timeline.list(1).at(-1)).toMatchObject({ kind: 'resolved', text: 'Resolved' });
  });
});
