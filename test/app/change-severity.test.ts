/** Raising or lowering the severity on in-memory ports. */
import { describe, expect, it } from 'vitest';
import { changeSeverity } from '../../src/app/incident/change-severity.js';
import { DomainError } from '../../src/domain/errors.js';
import { declared } from './declared.js';

describe('changeSeverity', () => {
  it('stores the new severity with a timeline entry, leaving the status alone', async () => {
    const { ports } = await declared();
    ports.clock.advanceMinutes(3);
    const change = await changeSeverity(ports, { number: 1, severity: 1, by: 'U0BOB' });
    expect(change.before.severity).toBe(2);
    expect(await ports.store.incidents.get(1)).toMatchObject({
      severity: 1,
      status: 'investigating',
      updatedAt: ports.clock.now(),
    });
    expect((await ports.store.timeline.list(1)).at(-1)).toMatchObject({
      kind: 'severity',
      text: 'Severity changed from SEV-2 to SEV-1',
      actor: 'U0BOB',
      occurredAt: ports.clock.now(),
      meta: { from: 2, to: 1 },
    });
  });

  it('refuses the severity the incident already has, storing nothing', async () => {
    const { ports } = await declared();
    const entries = await ports.store.timeline.list(1);
    await expect(changeSeverity(ports, { number: 1, severity: 2, by: 'U0BOB' })).rejects.toThrow(DomainError);
    expect(await ports.store.timeline.list(1)).toEqual(entries);
  });
});
