import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type PagerDutyClientConfig,
  PagerDutyClient,
  PagerDutyError,
} from '../../../src/adapters/pagerduty/client.js';
import { type RunningFakePagerDuty, startFakePagerDuty } from '../../fakes/fake-pagerduty.js';

let pd: RunningFakePagerDuty;

const clientFor = (overrides: Partial<PagerDutyClientConfig> = {}) =>
  new PagerDutyClient({
    eventsUrl: pd.eventsUrl,
    apiUrl: pd.apiUrl,
    token: pd.token,
    from: pd.from,
    timeoutMs: 5000,
    ...overrides,
  });

const trigger = (routingKey: string, dedupKey = 'muster-inc-42-checkout') => ({
  routingKey,
  action: 'trigger' as const,
  dedupKey,
  payload: {
    summary: 'INC-42 Checkout errors (sev2)',
    source: 'muster',
    severity: 'error' as const,
    customDetails: { commander: 'Alice', channel: '#inc-42-checkout-errors' },
  },
  links: [{ href: 'https://slack.com/app_redirect?channel=C42', text: 'Slack channel' }],
  client: 'Muster',
  clientUrl: 'https://slack.com/app_redirect?channel=C42',
});

const newIncident = {
  serviceId: 'PSVC001',
  escalationPolicyId: 'PEP0001',
  title: 'INC-7 Payments down',
  urgency: 'high' as const,
  incidentKey: 'muster-inc-7-checkout',
  body: 'Commander: Alice. Channel: #inc-7-payments-down',
};

/** The PagerDutyError a promise rejects with. */
async function failure(p: Promise<unknown>): Promise<PagerDutyError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof PagerDutyError)) throw new Error(`expected a PagerDutyError, got ${String(err)}`);
  return err;
}

beforeEach(async () => {
  pd = await startFakePagerDuty();
});

afterEach(async () => {
  await pd.close();
});

describe('Events API v2', () => {
  it('triggers an alert that opens one incident, with the request shaped as the spec says', async () => {
    const result = await clientFor().sendEvent(trigger(pd.routingKey));

    expect(result).toEqual({ dedupKey: 'muster-inc-42-checkout' });
    const [incident] = pd.incidentsFor('muster-inc-42-checkout');
    expect(incident).toMatchObject({
      status: 'triggered',
      title: 'INC-42 Checkout errors (sev2)',
      via: 'events',
    });
    const [req] = pd.fake.requestsTo('enqueue');
    expect(req?.path).toBe('/v2/enqueue');
    expect(req?.body).toEqual({
      routing_key: pd.routingKey,
      event_action: 'trigger',
      dedup_key: 'muster-inc-42-checkout',
      payload: {
        summary: 'INC-42 Checkout errors (sev2)',
        source: 'muster',
        severity: 'error',
        custom_details: { commander: 'Alice', channel: '#inc-42-checkout-errors' },
      },
      links: [{ href: 'https://slack.com/app_redirect?channel=C42', text: 'Slack channel' }],
      client: 'Muster',
      client_url: 'https://slack.com/app_redirect?channel=C42',
    });
    // The REST token must never travel to the Events endpoint.
    expect(req?.headers.authorization).toBeUndefined();
  });

  it('counts a repeated trigger as a request but not as a second incident (PagerDuty deduplicates)', async () => {
    const client = clientFor();
    await client.sendEvent(trigger(pd.routingKey));
    await client.sendEvent(trigger(pd.routingKey));

    expect(pd.triggersFor('muster-inc-42-checkout')).toBe(2);
    expect(pd.incidentsFor('muster-inc-42-checkout')).toHaveLength(1);
  });

  it('acknowledges and resolves the same alert through its dedup key', async () => {
    const client = clientFor();
    await client.sendEvent(trigger(pd.routingKey));
    const key = 'muster-inc-42-checkout';

    await client.sendEvent({ routingKey: pd.routingKey, action: 'acknowledge', dedupKey: key });
    expect(pd.incidentsFor(key)[0]?.status).toBe('acknowledged');

    await client.sendEvent({ routingKey: pd.routingKey, action: 'resolve', dedupKey: key });
    expect(pd.incidentsFor(key)[0]?.status).toBe('resolved');

    await client.sendEvent(trigger(pd.routingKey));
    expect(pd.incidentsFor(key).map((i) => i.status)).toEqual(['resolved', 'triggered']);
  });

  it('refuses a malformed routing key with PagerDuty’s reason, never echoing the key', async () => {
    const err = await failure(clientFor().sendEvent(trigger('short-key-123')));

    expect(err).toMatchObject({ code: 'invalid_request', status: 400, retryable: false });
    expect(err.errors).toContain("Length of 'routing_key' is incorrect (should be 32 characters)");
    expect(err.message).toContain("Length of 'routing_key' is incorrect");
    expect(err.message).not.toContain('short-key-123');
  });

  it('refuses a well-formed routing key PagerDuty does not know', async () => {
    const unknownKey = 'a'.repeat(32);
    const err = await failure(clientFor().sendEvent(trigger(unknownKey)));

    expect(err).toMatchObject({ code: 'invalid_request', retryable: false, errors: ['Invalid routing key'] });
    expect(err.message).not.toContain(unknownKey);
  });

  it('absorbs a single 429 (pdjs retries it inline) and ends up with one incident', async () => {
    pd.failNext('enqueue', { status: 429, retryAfter: 30 });

    await clientFor().sendEvent(trigger(pd.routingKey));

    expect(pd.fake.requestsTo('enqueue').map((r) => r.status)).toEqual([429, 202]);
    expect(pd.incidentsFor('muster-inc-42-checkout')).toHaveLength(1);
  });

  it('reports a persistent 429 as rate_limited with Retry-After, after at most four attempts', async () => {
    pd.failNext('enqueue', { status: 429, times: 10, retryAfter: 30 });

    const err = await failure(clientFor().sendEvent(trigger(pd.routingKey)));

    expect(err).toMatchObject({ code: 'rate_limited', status: 429, retryable: true, retryAfterSeconds: 30 });
    expect(pd.fake.requestsTo('enqueue')).toHaveLength(4);
    expect(pd.incidentsFor('muster-inc-42-checkout')).toHaveLength(0);
  });

  it('reads a Retry-After given as an HTTP date against the injected clock', async () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    pd.failNext('enqueue', { status: 429, times: 4, retryAfter: 'Mon, 23 Nov 2026 10:01:30 GMT' });

    const err = await failure(clientFor({ now: () => now }).sendEvent(trigger(pd.routingKey)));

    expect(err.retryAfterSeconds).toBe(90);
  });

  it('treats 503 as retryable, and works again once PagerDuty is back', async () => {
    const client = clientFor();
    pd.down(503);
    const err = await failure(client.sendEvent(trigger(pd.routingKey)));
    expect(err).toMatchObject({ code: 'server_error', status: 503, retryable: true });

    pd.up();
    await client.sendEvent(trigger(pd.routingKey));
    expect(pd.incidentsFor('muster-inc-42-checkout')).toHaveLength(1);
  });

  it('gives up on a request PagerDuty never answers after timeoutMs, as a retryable timeout', async () => {
    pd.hang();

    const err = await failure(clientFor({ timeoutMs: 50 }).sendEvent(trigger(pd.routingKey)));

    expect(err).toMatchObject({ code: 'timeout', retryable: true });
    expect(err.status).toBeUndefined();
  });

  it('reports an unreachable PagerDuty as a retryable network error', async () => {
    const eventsUrl = pd.eventsUrl;
    await pd.close();

    const err = await failure(clientFor({ eventsUrl }).sendEvent(trigger(pd.routingKey)));

    expect(err).toMatchObject({ code: 'network', retryable: true });
    expect(err.message).not.toContain(pd.routingKey);
  });
});

describe('REST API', () => {
  it('creates an incident with the From header, token and body the spec asks for', async () => {
    const incident = await clientFor().createIncident(newIncident);

    expect(incident).toMatchObject({
      status: 'triggered',
      title: 'INC-7 Payments down',
      incidentKey: 'muster-inc-7-checkout',
      number: 1,
      assignees: [{ id: 'PU00001', name: 'Jane Doe' }],
    });
    expect(incident.htmlUrl).toBe(`${pd.baseUrl}/incidents/${incident.id}`);
    const [req] = pd.fake.requestsTo('createIncident');
    expect(req?.headers.from).toBe(pd.from);
    expect(req?.headers.authorization).toBe(`Token token=${pd.token}`);
    expect(req?.headers.accept).toBe('application/vnd.pagerduty+json;version=2');
    expect(req?.body).toEqual({
      incident: {
        type: 'incident',
        title: 'INC-7 Payments down',
        service: { id: 'PSVC001', type: 'service_reference' },
        urgency: 'high',
        incident_key: 'muster-inc-7-checkout',
        body: { type: 'incident_body', details: 'Commander: Alice. Channel: #inc-7-payments-down' },
        escalation_policy: { id: 'PEP0001', type: 'escalation_policy_reference' },
      },
    });
  });

  it('returns the open incident a retried create already made instead of failing', async () => {
    const client = clientFor();
    const first = await client.createIncident(newIncident);
    const again = await client.createIncident(newIncident);

    expect(again.id).toBe(first.id);
    expect(pd.incidentsFor('muster-inc-7-checkout')).toHaveLength(1);
    expect(pd.fake.requestsTo('createIncident').map((r) => r.status)).toEqual([201, 400]);
  });

  it('still fails a create PagerDuty refuses for another reason', async () => {
    const err = await failure(clientFor().createIncident({ ...newIncident, serviceId: 'PNOPE00' }));

    expect(err).toMatchObject({
      code: 'invalid_request',
      status: 400,
      retryable: false,
      errors: ['Service not found'],
    });
  });

  it('acknowledges, escalates and resolves an incident', async () => {
    const client = clientFor();
    const { id } = await client.createIncident(newIncident);

    expect((await client.updateIncident(id, { status: 'acknowledged' })).status).toBe('acknowledged');
    const escalated = await client.updateIncident(id, { escalationLevel: 2 });
    expect(escalated).toMatchObject({ status: 'triggered', assignees: [{ id: 'PU00002', name: 'Sam Lee' }] });
    expect((await client.updateIncident(id, { status: 'resolved' })).status).toBe('resolved');
    expect(pd.fake.requestsTo('updateIncident')[1]?.body).toEqual({
      incident: { type: 'incident_reference', escalation_level: 2 },
    });
    expect((await client.getIncident(id)).status).toBe('resolved');
  });

  it('lists who is on call for an escalation policy, by level, with emails', async () => {
    const oncalls = await clientFor().onCalls('PEP0001');

    expect(oncalls).toEqual([
      { level: 1, user: { id: 'PU00001', name: 'Jane Doe', email: 'jane.doe@example.com' } },
      { level: 2, user: { id: 'PU00002', name: 'Sam Lee', email: 'sam.lee@example.com' } },
    ]);
    const [req] = pd.fake.requestsTo('oncalls');
    expect(req?.query.getAll('escalation_policy_ids[]')).toEqual(['PEP0001']);
    expect(req?.query.getAll('include[]')).toEqual(['users']);
  });

  it('maps an unknown incident to not_found', async () => {
    const err = await failure(clientFor().getIncident('PXXXXXX'));
    expect(err).toMatchObject({ code: 'not_found', status: 404, retryable: false });
  });

  it('refuses a bad token as unauthorized without naming the token', async () => {
    const badToken = 'u+definitely-not-valid';
    const err = await failure(clientFor({ token: badToken }).onCalls('PEP0001'));

    expect(err).toMatchObject({ code: 'unauthorized', status: 401, retryable: false });
    expect(err.message).not.toContain(badToken);
  });

  it('refuses a write with a read-only token as forbidden', async () => {
    const err = await failure(clientFor({ token: pd.readOnlyToken }).createIncident(newIncident));
    expect(err).toMatchObject({ code: 'forbidden', status: 403, retryable: false });
  });

  it('passes on PagerDuty’s reason when From is not a PagerDuty user', async () => {
    const err = await failure(clientFor({ from: 'nobody@example.com' }).createIncident(newIncident));
    expect(err).toMatchObject({ code: 'invalid_request', status: 400 });
    expect(err.message).toContain('Requester User Not Found');
  });

  it('does not call PagerDuty for a write without PAGERDUTY_FROM, nor for REST without a token', async () => {
    const noFrom = await failure(clientFor({ from: undefined }).createIncident(newIncident));
    const noToken = await failure(clientFor({ token: undefined }).onCalls('PEP0001'));

    expect(noFrom).toMatchObject({ code: 'invalid_request', retryable: false });
    expect(noToken).toMatchObject({ code: 'unauthorized', retryable: false });
    expect(pd.fake.requests).toHaveLength(0);
  });

  it('reports a persistent 429 with its Retry-After', async () => {
    pd.failNext('oncalls', { status: 429, times: 4, retryAfter: 12 });
    const err = await failure(clientFor().onCalls('PEP0001'));
    expect(err).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterSeconds: 12 });
  });

  it('treats a 502 with an HTML body as a retryable server error', async () => {
    pd.failNext('createIncident', { status: 502, body: '<html><body>Bad Gateway</body></html>' });
    const err = await failure(clientFor().createIncident(newIncident));
    expect(err).toMatchObject({ code: 'server_error', status: 502, retryable: true });
  });

  it('times out a REST call PagerDuty never answers', async () => {
    pd.hang();
    const err = await failure(clientFor({ timeoutMs: 50 }).updateIncident('PI00001', { status: 'resolved' }));
    expect(err).toMatchObject({ code: 'timeout', retryable: true });
  });
});

describe('process hygiene', () => {
  it('leaves no timer or socket behind: a process that timed out, was rate limited and failed exits by itself', {
    timeout: 30_000,
  }, async () => {
    const script = fileURLToPath(new URL('./client-exit.script.ts', import.meta.url));
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      // The guard only ends a process that would otherwise hang the suite; pdjs's own timer would hold it 30 s.
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', script],
        { timeout: 20_000 },
        (error, out) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout: out }),
      );
      child.stdin?.end();
    });

    expect(stdout.trim()).toBe('timeout rate_limited server_error timeout');
    expect(code).toBe(0);
  });
});
