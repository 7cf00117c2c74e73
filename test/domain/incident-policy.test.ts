import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import {
  checkMayAct,
  type IncidentPolicy,
  mayAct,
  type RestrictedAction,
  roleAction,
} from '../../src/domain/incident-policy.js';
import type { RoleHolders } from '../../src/domain/roles.js';

// Dana declared INC-7 and handed the commander role to Ivy; Carl is comms, Sam the scribe; Tom holds no role.
const responders = {
  declaredBy: 'U0DANA',
  holders: { ic: 'U0IVY', comms: 'U0CARL', scribe: 'U0SAM' } satisfies RoleHolders,
};

const refusal = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
};

describe('who may act on an incident', () => {
  // policy, action, user, allowed: written out by hand, not derived from the rule
  const table: [IncidentPolicy, RestrictedAction | null, string, boolean][] = [
    ['open', 'severity', 'U0TOM', true],
    ['open', 'status', 'U0TOM', true],
    ['open', 'resolve', 'U0TOM', true],
    ['open', 'reopen', 'U0TOM', true],
    ['open', 'page', 'U0TOM', true],
    ['open', 'escalate', 'U0TOM', true],
    ['open', 'commander', 'U0TOM', true],
    ['open', 'handover', 'U0TOM', true],
    ['open', null, 'U0TOM', true],
    ['responders', 'severity', 'U0TOM', false],
    ['responders', 'status', 'U0TOM', false],
    ['responders', 'resolve', 'U0TOM', false],
    ['responders', 'reopen', 'U0TOM', false],
    ['responders', 'page', 'U0TOM', false],
    ['responders', 'escalate', 'U0TOM', false],
    ['responders', 'commander', 'U0TOM', false],
    ['responders', 'handover', 'U0TOM', false],
    ['responders', null, 'U0TOM', true],
    ['responders', 'severity', 'U0IVY', true],
    ['responders', 'commander', 'U0IVY', true],
    ['responders', 'status', 'U0CARL', true],
    ['responders', 'page', 'U0SAM', true],
    ['responders', 'resolve', 'U0DANA', true],
    ['responders', 'commander', 'U0DANA', true],
    ['responders', 'escalate', 'U0DANA', true],
  ];
  it.each(table)('under %s, %s by %s: %s', (policy, action, user, allowed) => {
    expect(mayAct(policy, action, responders, user)).toBe(allowed);
  });

  it('counts only the roles held now: a former holder is not a responder', () => {
    expect(
      mayAct('responders', 'severity', { declaredBy: 'U0DANA', holders: { ic: 'U0IVY' } }, 'U0CARL'),
    ).toBe(false);
  });

  it.each([
    ['ic', {}, 'commander'],
    ['ic', { ic: 'U0IVY' }, 'commander'],
    ['comms', { ic: 'U0IVY' }, null],
    ['comms', { ic: 'U0IVY', comms: 'U0CARL' }, 'handover'],
    ['scribe', { ic: 'U0IVY', comms: 'U0CARL' }, null],
    ['tech', { tech: 'U0TED' }, 'handover'],
  ] as const)('giving %s with holders %j is %s', (role, holders, action) => {
    expect(roleAction(role, holders)).toBe(action);
  });

  it('tells a refused person who can, naming the setting', () => {
    const e = refusal(() =>
      checkMayAct({
        policy: 'responders',
        action: 'severity',
        incidentNumber: 7,
        responders,
        userId: 'U0TOM',
      }),
    );
    expect(e.code).toBe('policy.not_responder');
    expect(e.message).toBe(
      "Only INC-7's responders can change its severity: <@U0IVY> (commander), <@U0CARL> (comms), <@U0SAM> (scribe) or <@U0DANA> who declared it. INCIDENT_POLICY is responders.",
    );
  });

  it('names each person once, the declarer among the holders', () => {
    const e = refusal(() =>
      checkMayAct({
        policy: 'responders',
        action: 'page',
        incidentNumber: 7,
        responders: { declaredBy: 'U0DANA', holders: { ic: 'U0DANA', scribe: 'U0DANA', tech: 'U0TED' } },
        userId: 'U0TOM',
      }),
    );
    expect(e.message).toBe(
      "Only INC-7's responders can page for it: <@U0DANA> (commander, scribe; declared it) or <@U0TED> (tech lead). INCIDENT_POLICY is responders.",
    );
  });

  it('lets anyone through under open, and for an unrestricted change', () => {
    expect(() =>
      checkMayAct({ policy: 'open', action: 'resolve', incidentNumber: 7, responders, userId: 'U0TOM' }),
    ).not.toThrow();
    expect(() =>
      checkMayAct({ policy: 'responders', action: null, incidentNumber: 7, responders, userId: 'U0TOM' }),
    ).not.toThrow();
  });
});
