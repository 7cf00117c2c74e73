import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import {
  type Candidate,
  handover,
  parseRole,
  type Role,
  type RoleHolders,
  unfilledRoles,
} from '../../src/domain/roles.js';

const NOW = Date.UTC(2026, 10, 23, 9, 10, 0);
const person = (id: string): Candidate => ({ id, isBot: false, deleted: false });

const give = (holders: RoleHolders, role: Role, userId: string, candidate: Candidate | null) =>
  handover({ incidentNumber: 3, holders, role, userId, candidate, by: 'U0ALICE', now: NOW });

const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
};

describe('role handover', () => {
  it('gives an empty role, recording who and when', () => {
    const h = give({ ic: 'U0ALICE' }, 'comms', 'U0BOB', person('U0BOB'));
    expect(h).toMatchObject({ role: 'comms', userId: 'U0BOB', previous: null });
    expect(h.entry).toEqual({
      incidentNumber: 3,
      kind: 'role',
      text: '<@U0BOB> is Communications Lead',
      actor: 'U0ALICE',
      occurredAt: NOW,
      sourceKey: `role:comms:U0BOB:${NOW}`,
      meta: { role: 'comms', userId: 'U0BOB', previous: null },
    });
  });

  it('hands the commander over: the role changes hands, never empties', () => {
    const h = give({ ic: 'U0ALICE' }, 'ic', 'U0CAROL', person('U0CAROL'));
    expect(h.previous).toBe('U0ALICE');
    expect(h.entry.text).toBe('<@U0CAROL> is Incident Commander (handed over from <@U0ALICE>)');
    expect(h.entry.meta).toEqual({ role: 'ic', userId: 'U0CAROL', previous: 'U0ALICE' });
  });

  it('lets one person hold two roles', () => {
    expect(give({ ic: 'U0ALICE' }, 'scribe', 'U0ALICE', person('U0ALICE')).previous).toBeNull();
  });

  it.each([
    ['an unknown user', null, 'role.unknown_user', 'cannot be Technical Lead'],
    ['a bot', { id: 'U0DEPLOYBOT', isBot: true, deleted: false }, 'role.bot', 'is a bot'],
    [
      'a deactivated account',
      { id: 'U0GONE', isBot: false, deleted: true },
      'role.deactivated',
      'deactivated',
    ],
  ] as const)('refuses %s', (_what, candidate, code, words) => {
    const e = refusal(() => give({ ic: 'U0ALICE' }, 'tech', candidate?.id ?? 'U0NOBODY', candidate));
    expect(e.code).toBe(code);
    expect(e.message).toContain(words);
  });

  it('refuses giving a role to the person who holds it', () => {
    expect(refusal(() => give({ ic: 'U0ALICE' }, 'ic', 'U0ALICE', person('U0ALICE'))).code).toBe(
      'role.unchanged',
    );
  });

  it('lists unfilled roles in role order', () => {
    expect(unfilledRoles({ ic: 'U0ALICE', scribe: 'U0BOB' })).toEqual(['comms', 'tech']);
    expect(unfilledRoles({ ic: 'U0ALICE', comms: 'U0B', scribe: 'U0C', tech: 'U0D' })).toEqual([]);
  });

  it.each([
    ['ic', 'ic'],
    ['commander', 'ic'],
    ['COMMS', 'comms'],
    ['tech-lead', 'tech'],
  ] as const)('reads the role word %s', (word, role) => {
    expect(parseRole(word)).toBe(role);
  });

  it('suggests the nearest role for a typo', () => {
    const e = refusal(() => parseRole('scrib'));
    expect(e.code).toBe('role.unknown');
    expect(e.message).toContain('`scribe`');
  });
});
