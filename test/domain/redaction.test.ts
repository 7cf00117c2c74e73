/** Who may redact a timeline entry, and what a redaction refuses: every case written out. */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { checkRedaction } from '../../src/domain/redaction.js';
import type { RoleHolders } from '../../src/domain/roles.js';
import type { TimelineEntry } from '../../src/domain/timeline.js';

const entry = (over: Partial<TimelineEntry> = {}): TimelineEntry => ({
  id: 40,
  incidentNumber: 9,
  number: 4,
  kind: 'note',
  text: 'password: hunter2',
  originalText: null,
  actor: 'UAUTHOR',
  occurredAt: 1,
  recordedAt: 1,
  sourceKey: 'note:1',
  state: 'active',
  meta: {},
  redactedBy: null,
  redactedAt: null,
  ...over,
});

const holders: RoleHolders = { ic: 'UIC', comms: 'UCOMMS', scribe: 'USCRIBE', tech: 'UTECH' };

const refusal = (input: Parameters<typeof checkRedaction>[0]): DomainError => {
  try {
    checkRedaction(input);
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('redaction allowed');
};

describe('checkRedaction', () => {
  it.each(['UIC', 'UCOMMS', 'USCRIBE', 'UTECH', 'UAUTHOR'])('lets %s redact', (userId) => {
    expect(checkRedaction({ incidentNumber: 9, number: 4, entry: entry(), holders, userId })).toMatchObject({
      id: 40,
    });
  });

  it('refuses anyone else, naming who may', () => {
    const e = refusal({
      incidentNumber: 9,
      number: 4,
      entry: entry(),
      holders: { ic: 'UIC', tech: 'UTECH' },
      userId: 'UOTHER',
    });
    expect(e.code).toBe('redact.not_allowed');
    expect(e.message).toBe(
      "Only the people holding a role in INC-9, <@UIC> (Incident Commander), <@UTECH> (Technical Lead), or the entry's author can redact entry #4. Ask one of them, or `/incident role` to see the roles.",
    );
  });

  it('does not count a declarer who handed the commander role over', () => {
    // The declarer UDECL gave the commander role to UIC: holding no role now, they may not redact others' entries.
    const e = refusal({
      incidentNumber: 9,
      number: 4,
      entry: entry(),
      holders: { ic: 'UIC' },
      userId: 'UDECL',
    });
    expect(e.code).toBe('redact.not_allowed');
  });

  it('refuses an unknown number, an entry already redacted, and a message deleted in Slack', () => {
    expect(refusal({ incidentNumber: 9, number: 77, entry: null, holders, userId: 'UIC' })).toMatchObject({
      code: 'redact.no_such_entry',
      message:
        'INC-9 has no entry #77: the entry numbers are in `/incident timeline`.\nUsage: `/incident redact <entry number>`',
    });
    expect(
      refusal({
        incidentNumber: 9,
        number: 4,
        entry: entry({ text: '', redactedBy: 'UCOMMS', redactedAt: 5 }),
        holders,
        userId: 'UIC',
      }),
    ).toMatchObject({
      code: 'redact.already_redacted',
      message: 'Entry #4 is already redacted (by <@UCOMMS>); there is nothing left to blank.',
    });
    expect(
      refusal({
        incidentNumber: 9,
        number: 4,
        entry: entry({ kind: 'message', text: '', state: 'deleted' }),
        holders,
        userId: 'UIC',
      }),
    ).toMatchObject({ code: 'redact.message_deleted' });
  });

  it('checks the right before saying anything about the entry', () => {
    const e = refusal({
      incidentNumber: 9,
      number: 4,
      entry: entry({ redactedBy: 'UIC', redactedAt: 5 }),
      holders: {},
      userId: 'UOTHER',
    });
    expect(e.code).toBe('redact.not_allowed');
    expect(e.message).toContain(
      "Only the people holding a role in INC-9 or the entry's author can redact entry #4.",
    );
  });
});
