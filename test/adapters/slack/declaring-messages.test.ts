/** What the declarer hears once provisioning ends: where the incident is, or why its channel is missing. */
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../../src/domain/incident.js';
import { incidentRecord } from '../../support/incident-record.js';
import {
  channelNotCreatedMessage,
  incidentOpenMessage,
} from '../../../src/adapters/slack/blocks/lifecycle-messages.js';

const incident = (o: Partial<Incident> = {}): Incident =>
  incidentRecord({
    number: 7,
    title: 'checkout returns 500s',
    severity: 2,
    teamId: 'T0MUSTER',
    channelId: 'C0INC7',
    channelName: 'inc-7-checkout-returns-500s',
    declaredBy: 'U0ALICE',
    declaredAt: 0,
    updatedAt: 0,
    ...o,
  });

describe('declaring messages', () => {
  it('tell the declarer where the incident is open', () => {
    expect(incidentOpenMessage(incident(), 'C0INC7')).toEqual({
      text: ':rotating_light: INC-7: checkout returns 500s is open in <#C0INC7>. You are the incident commander.',
    });
  });

  it('show the title (Slack text) escaped once, with broadcasts defused', () => {
    const text = incidentOpenMessage(incident({ title: '<!here> a &lt; b & c' }), 'C0INC7').text;
    expect(text).toContain('INC-7: @\u2060here a &lt; b &amp; c is open');
  });

  it('explain a channel Slack refused, and every name taken', () => {
    expect(channelNotCreatedMessage(incident(), 'refused', 'restricted_action').text).toBe(
      ':x: INC-7 is recorded, but Slack refused to create its channel (restricted_action). Muster will try again when it restarts; meanwhile the incident is in `/incident list`.',
    );
    expect(channelNotCreatedMessage(incident(), 'names_taken', 'name_taken').text).toBe(
      ':x: INC-7 is recorded, but every channel name tried was taken. Rename or archive old channels and try again.',
    );
  });
});
