import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePagerDutyWebhook } from '../../../src/adapters/pagerduty/webhook-event.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/pagerduty', import.meta.url));
const read = (file: string) => readFileSync(`${FIXTURES}/${file}`);

/** A whole delivery around one documented `event.data` object. */
const deliver = (eventType: string, data: unknown, agent: unknown = null) =>
  JSON.stringify({
    event: {
      id: '01DEMOEVENT000000000000001',
      event_type: eventType,
      resource_type: 'incident',
      occurred_at: '2026-11-23T10:15:00.000Z',
      agent,
      client: null,
      data,
    },
  });

const dataOf = (name: string): unknown => JSON.parse(read(`docs-webhooks-v3/${name}`).toString('utf8'));
const tenex = {
  html_url: 'https://acme.pagerduty.com/users/PLH1HKV',
  id: 'PLH1HKV',
  self: 'https://api.pagerduty.com/users/PLH1HKV',
  summary: 'Tenex Engineer',
  type: 'user_reference',
};

describe('whole deliveries from the samples', () => {
  it('parses the docs incident.priority_updated delivery as an unknown type that still names its incident', () => {
    const result = parsePagerDutyWebhook(read('docs-webhooks-v3/webhook_v3.incident.priority_updated.json'));

    expect(result).toEqual({
      ok: true,
      event: {
        id: '5ac64822-4adc-4fda-ade0-410becf0de4f',
        eventType: 'unknown',
        rawEventType: 'incident.priority_updated',
        occurredAt: Date.parse('2020-10-02T18:45:22.169Z'),
        agent: { id: 'PLH1HKV', summary: 'Tenex Engineer', type: 'user_reference' },
        incident: {
          id: 'PGR0VU2',
          incidentKey: 'd3640fbd41094207a1c11e58e46b1662',
          status: 'triggered',
          title: 'A little bump in the road',
          htmlUrl: 'https://acme.pagerduty.com/incidents/PGR0VU2',
          number: 2,
          assignees: [{ id: 'PTUXL6G', summary: 'User 123' }],
        },
      },
    });
  });

  it('parses the go-pagerduty raw body (integer conference number, no incident key)', () => {
    const result = parsePagerDutyWebhook(read('go-pagerduty-test-vector/incident.priority_updated.raw.json'));

    expect(result.ok && result.event).toMatchObject({
      id: '01BWDWL3NYY7LUFPZCC28QUCMK',
      eventType: 'unknown',
      incident: { id: 'PGR0VU2', status: 'triggered' },
    });
    expect(result.ok && result.event.incident?.incidentKey).toBeUndefined();
  });

  it('parses service.updated (no agent, no incident) as unknown, not as an error', () => {
    const result = parsePagerDutyWebhook(read('docs-webhooks-v3/webhook_v3.service.updated.json'));

    expect(result).toMatchObject({
      ok: true,
      event: { eventType: 'unknown', rawEventType: 'service.updated', incident: null },
    });
    expect(result.ok && 'agent' in result.event).toBe(false);
  });

  it('refuses the webhook subscription request, which is not an event', () => {
    const result = parsePagerDutyWebhook(read('docs-webhooks-v3/webhook_subscription_create_request.json'));
    expect(result.ok).toBe(false);
  });
});

describe('the incident events Muster handles, on the documented incident data', () => {
  it.each([
    'incident.triggered',
    'incident.acknowledged',
    'incident.escalated',
    'incident.reassigned',
    'incident.resolved',
  ] as const)('%s', (eventType) => {
    const result = parsePagerDutyWebhook(deliver(eventType, dataOf('data.incident.json'), tenex));

    expect(result).toMatchObject({
      ok: true,
      event: {
        eventType,
        occurredAt: Date.parse('2026-11-23T10:15:00.000Z'),
        agent: { id: 'PLH1HKV', summary: 'Tenex Engineer', type: 'user_reference' },
        incident: {
          id: 'PGR0VU2',
          incidentKey: 'd3640fbd41094207a1c11e58e46b1662',
          assignees: [{ id: 'PTUXL6G' }],
        },
      },
    });
  });

  it('incident.annotated carries the note and the incident it references', () => {
    const result = parsePagerDutyWebhook(
      deliver('incident.annotated', dataOf('data.incident_note.json'), tenex),
    );

    expect(result).toMatchObject({
      ok: true,
      event: {
        eventType: 'incident.annotated',
        note: 'I sure am glad we are using PagerDuty!',
        incident: { id: 'PGR0VU2', title: 'A little bump in the road', assignees: [] },
      },
    });
  });
});

describe('every other documented data type parses as unknown', () => {
  const handled = new Set(['data.incident.json', 'data.incident_note.json']);
  const others = readdirSync(`${FIXTURES}/docs-webhooks-v3`).filter(
    (f) => f.startsWith('data.') && !handled.has(f),
  );

  it('covers the remaining sample files', () => {
    expect(others.length).toBeGreaterThanOrEqual(10);
  });

  it.each(others)('%s', (file) => {
    const data = dataOf(file) as { type: string; incident?: { id: string } };
    const result = parsePagerDutyWebhook(deliver(`incident.${data.type}.sample`, data));

    expect(result).toMatchObject({ ok: true, event: { eventType: 'unknown' } });
    expect(result.ok && result.event.incident?.id).toBe(data.incident?.id ?? undefined);
  });
});

describe('malformed bodies', () => {
  it.each([
    ['not JSON', '{"event": '],
    ['a JSON array', '[]'],
    ['no event', '{"messages": []}'],
    [
      'no event id',
      deliver('incident.acknowledged', dataOf('data.incident.json')).replace(
        '"id":"01DEMOEVENT000000000000001",',
        '',
      ),
    ],
    [
      'a bad time',
      deliver('incident.acknowledged', dataOf('data.incident.json')).replace(
        '2026-11-23T10:15:00.000Z',
        'yesterday',
      ),
    ],
    [
      'a handled event without an incident',
      deliver('incident.acknowledged', { type: 'service', id: 'PF9KMXH' }),
    ],
    ['incident data without an id', deliver('incident.resolved', { type: 'incident', status: 'resolved' })],
  ])('refuses %s', (_what, body) => {
    const result = parsePagerDutyWebhook(body);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.length).toBeGreaterThan(0);
  });
});
