/** Raising or lowering the severity on in-memory ports. */
import { describe, expect, it } from 'vitest';
import { changeSeverity } from '../../src/app/incident/change-severity.js';
import { DomainError } from '../../src/domain/errors.js';
import { declared } from './declared.js';

describe('changeSeverity', () => {
  it('stores the new severity with a timeline entry, leaving the status alone', () => {
    const { ports } = declared();
    ports.clock.advanceMinutes(3);
    const change = changeSeverity(ports, { number: 1, severity: 1, by: 'U0BOB' });
    expect(change.before.severity).toBe(2);
    expect(ports.store.incidents.get(1)).toMatchObject({
      severity: 1,
      status: 'investigating',
      updatedAt: ports.clock.now(),
    });
    expect(ports.store.timeline.list(1).at(-1)).toMatchObject({
      kind: 'severity',
      text: 'Severity changed from SEV-2 to SEV-1',
      actor: 'U0BOB',
      occurredAt: ports.clock.now(),
      meta: { from: 2, to: 1 },
    });
  });

  it('refuses the severity the incident already has, storing nothing', () => {
    const { ports } = declared();
    const entries = ports.store.timeline.list(1);
    expect(() => changeSeverity(ports, { number: 1, severity: 2, by: 'U0BOB' })).toThrow(DomainError);
    expect(ports.store.timeline.list(1)).toEqual(entries);
  });
});
