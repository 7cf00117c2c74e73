/** The fake PagerDuty itself: what it refuses like the real one, its webhooks, and that it stops cleanly. */
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PagerDutyClient } from '../../../src/adapters/pagerduty/client.js';
import { verifyPagerDutySignature } from '../../../src/adapters/pagerduty/signature.js';
import { parsePagerDutyWebhook } from '../../../src/adapters/pagerduty/webhook-event.js';
import { FakePagerDuty } from '../../../packages/sandbox/src/emulators.js';
import { type RunningFakePagerDuty, startFakePagerDuty } from '../../fakes/fake-pagerduty.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for Muster's webhook route that keeps what it receives. */
async function startReceiver(status = 202) {
  const received: Received[] = [];
  const waiting: ((r: Received) => void)[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      res.writeHead(status).end();
      waiting.shift()?.(r);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pagerduty/webhook`;
  return {
    url,
    received,
    next: () => new Promise<Received>((resolve) => waiting.push(resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

let pd: RunningFakePagerDuty;
let client: PagerDutyClient;
const SECRET = 'whsec-test-secret';

beforeEach(async () => {
  pd = await startFakePagerDuty();
  client = new PagerDutyClient({
    eventsUrl: pd.eventsUrl,
    apiUrl: pd.apiUrl,
    token: pd.token,
    from: pd.from,
    timeoutMs: 5000,
  });
});

afterEach(async () => {
  await pd.close();
});

const page = (dedupKey: string) =>
  client.sendEvent({
    routingKey: pd.routingKey,
    action: 'trigger',
    dedupKey,
    payload: { summary: 'INC-3 Checkout down', source: 'muster', severity: 'critical' },
  });

describe('auto-acknowledge and webhooks', () => {
  it('acknowledges a new incident with a signed incident.acknowledged webhook Muster can verify and parse', async () => {
    const receiver = await startReceiver();
    pd.autoAcknowledge({ afterMs: 0, webhookUrl: receiver.url, secret: SECRET });
    const arrived = receiver.next();

    await page('muster-inc-3-checkout');
    const { headers, body } = await arrived;
    await pd.waitFor((f) => f.webhooks.length === 1);

    expect(verifyPagerDutySignature(body, headers['x-pagerduty-signature'] as string, [SECRET])).toBe(true);
    const parsed = parsePagerDutyWebhook(body);
    expect(parsed).toMatchObject({
      ok: true,
      event: {
        eventType: 'incident.acknowledged',
        agent: { id: 'PU00001', summary: 'Jane Doe' },
        incident: {
          status: 'acknowledged',
          incidentKey: 'muster-inc-3-checkout',
          title: 'INC-3 Checkout down',
        },
      },
    });
    expect(headers['x-webhook-id']).toBe(parsed.ok ? parsed.event.id : '');
    expect(pd.incidentsFor('muster-inc-3-checkout')[0]?.status).toBe('acknowledged');
    expect(pd.fake.webhooks[0]).toMatchObject({ eventType: 'incident.acknowledged', status: 202 });
    await receiver.close();
  });

  it('sends escalated, annotated and resolved webhooks that change the incident as they say', async () => {
    const receiver = await startReceiver();
    await page('muster-inc-4-checkout');
    const id = pd.incidentsFor('muster-inc-4-checkout')[0]!.id;

    await pd.sendWebhook('incident.escalated', id, { url: receiver.url, secret: SECRET });
    await pd.sendWebhook('incident.annotated', id, {
      url: receiver.url,
      secret: SECRET,
      note: 'Rolling back',
    });
    await pd.sendWebhook('incident.resolved', id, { url: receiver.url, secret: [SECRET, 'next-secret'] });

    const events = receiver.received.map((r) => parsePagerDutyWebhook(r.body));
    expect(events.map((e) => e.ok && e.event.eventType)).toEqual([
      'incident.escalated',
      'incident.annotated',
      'incident.resolved',
    ]);
    expect(events[0]?.ok && events[0].event.incident?.assignees).toEqual([
      { id: 'PU00002', summary: 'Sam Lee' },
    ]);
    expect(events[1]?.ok && events[1].event.note).toBe('Rolling back');
    expect(receiver.received[2]?.headers['x-pagerduty-signature']?.toString().split(',')).toHaveLength(2);
    expect(pd.fake.incident(id)?.status).toBe('resolved');
    await receiver.close();
  });

  it('records a delivery the receiver refused or could not take', async () => {
    const refusing = await startReceiver(403);
    await page('muster-inc-5-checkout');
    const id = pd.incidentsFor('muster-inc-5-checkout')[0]!.id;

    const refused = await pd.sendWebhook('incident.acknowledged', id, {
      url: refusing.url,
      secret: SECRET,
      signature: 'v1=bad',
    });
    await refusing.close();
    const unreachable = await pd.sendWebhook('incident.resolved', id, { url: refusing.url, secret: SECRET });

    expect(refused.status).toBe(403);
    expect(unreachable).toMatchObject({ status: null, error: expect.stringContaining('ECONNREFUSED') });
  });
});

describe('refusals like the real APIs', () => {
  it('Events v2: trigger without payload, acknowledge without dedup key, a body that is not JSON', async () => {
    const url = `${pd.eventsUrl}/v2/enqueue`;
    const noPayload = await post(
      url,
      JSON.stringify({ routing_key: pd.routingKey, event_action: 'trigger' }),
    );
    const noKey = await post(
      url,
      JSON.stringify({ routing_key: pd.routingKey, event_action: 'acknowledge' }),
    );
    const garbage = await post(url, 'not json');

    expect(noPayload.status).toBe(400);
    expect(await noPayload.json()).toMatchObject({
      status: 'invalid event',
      message: 'Event object is invalid',
    });
    expect(((await noKey.json()) as { errors: string[] }).errors).toEqual([
      "'dedup_key' is missing or blank",
    ]);
    expect(await garbage.json()).toEqual({
      status: 'Unrecognized object',
      message: 'Event object format is unrecognized',
      errors: ['JSON parse error'],
    });
  });

  it('Events v2: a trigger without dedup key gets one generated and returned', async () => {
    const res = await post(
      `${pd.eventsUrl}/v2/enqueue`,
      JSON.stringify({
        routing_key: pd.routingKey,
        event_action: 'trigger',
        payload: { summary: 's', source: 'x', severity: 'info' },
      }),
    );
    const body = (await res.json()) as { dedup_key: string };

    expect(res.status).toBe(202);
    expect(body).toMatchObject({ status: 'success', message: 'Event processed' });
    expect(pd.incidentsFor(body.dedup_key)).toHaveLength(1);
  });

  it('REST: a write without From answers 400 with PagerDuty’s message', async () => {
    const res = await post(
      `${pd.apiUrl}/incidents`,
      JSON.stringify({ incident: { type: 'incident', title: 't', service: { id: 'PSVC001' } } }),
      { authorization: `Token token=${pd.token}` },
    );

    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        message: 'You must specify a user\'s email address in the "From" header to perform this action',
        code: 2016,
      },
    });
  });

  it('answers failNext in order, then normally again', async () => {
    pd.failNext('oncalls', { status: 500, times: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${pd.apiUrl}/oncalls`, {
        headers: { authorization: `Token token=${pd.token}` },
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([500, 500, 200]);
  });
});

describe('mounting and stopping', () => {
  it('answers only its own paths under a base path, so it can share the sandbox server', async () => {
    const fake = new FakePagerDuty({ basePath: '/_sandbox/pagerduty' });
    const server = createServer((req, res) => {
      if (!fake.handle(req, res)) res.writeHead(418).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const sandboxClient = new PagerDutyClient({
      eventsUrl: `${base}/_sandbox/pagerduty`,
      apiUrl: `${base}/_sandbox/pagerduty`,
      token: fake.token,
      from: fake.from,
      timeoutMs: 5000,
    });

    const oncalls = await sandboxClient.onCalls('PEP0001');
    const elsewhere = await fetch(`${base}/v2/enqueue`, { method: 'POST', body: '{}' });
    const unknownPath = await fetch(`${base}/_sandbox/pagerduty/services`);

    expect(oncalls.map((o) => o.user.name)).toEqual(['Jane Doe', 'Sam Lee']);
    expect(elsewhere.status).toBe(418);
    expect(unknownPath.status).toBe(418);
    fake.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('closes while a request hangs: the caller sees the connection drop and close() resolves', async () => {
    pd.hang();
    const answered = new Promise<string>((resolve) => {
      const req = request(`${pd.eventsUrl}/v2/enqueue`, { method: 'POST', agent: false }, () =>
        resolve('answered'),
      );
      req.on('error', (e) => resolve(e.message));
      req.end('{}');
    });
    await pd.waitFor((f) => f.requests.length === 1);

    await pd.close();

    expect(await answered).toBe('socket hang up');
    expect(pd.fake.requests[0]?.status).toBeNull();
  });
});
