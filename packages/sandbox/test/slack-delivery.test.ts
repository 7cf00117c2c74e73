/** The sandbox's sender of Slack requests: signed as Slack signs, events in order, retried like Slack. */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isValidSlackRequest } from '@slack/bolt';
import { afterEach, describe, expect, it } from 'vitest';
import { SlackDelivery } from '../src/slack-delivery.js';

const SECRET = 'delivery-test-secret';
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** An app stand-in answering each request with the next status of `statuses` (200 after). */
async function receiver(statuses: number[]) {
  const got: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`, got };
}

describe('SlackDelivery', () => {
  it('signs requests so that Bolt accepts them', async () => {
    const app = await receiver([]);
    const delivery = new SlackDelivery({ url: app.url, signingSecret: SECRET, clock: Date.now });
    const answer = await delivery.command(new URLSearchParams({ command: '/incident', text: 'help' }));
    expect(answer.status).toBe(200);
    const [req] = app.got;
    const valid = isValidSlackRequest({
      signingSecret: SECRET,
      body: req!.body,
      headers: {
        'x-slack-signature': String(req!.headers['x-slack-signature']),
        'x-slack-request-timestamp': Number(req!.headers['x-slack-request-timestamp']),
      },
    });
    expect(valid).toBe(true);
  });

  it('delivers events one at a time, in order, and retries a refused one with X-Slack-Retry-Num', async () => {
    const app = await receiver([500, 200, 200]);
    const delivery = new SlackDelivery({
      url: app.url,
      signingSecret: SECRET,
      clock: Date.now,
      retryDelaysMs: [1, 1, 1],
    });
    delivery.event({ event_id: 'Ev1', event: { type: 'message' } });
    delivery.event({ event_id: 'Ev2', event: { type: 'message' } });
    await delivery.idle();
    expect(app.got.map((r) => [JSON.parse(r.body).event_id, r.headers['x-slack-retry-num'] ?? null])).toEqual(
      [
        ['Ev1', null],
        ['Ev1', '1'],
        ['Ev2', null],
      ],
    );
    expect(app.got[1]!.headers['x-slack-retry-reason']).toBe('http_error');
  });

  it('gives up after three retries and says so', async () => {
    const app = await receiver([503, 503, 503, 503]);
    const gaveUp: string[] = [];
    const delivery = new SlackDelivery({
      url: app.url,
      signingSecret: SECRET,
      clock: Date.now,
      retryDelaysMs: [1, 1, 1],
      onGiveUp: (id, reason) => gaveUp.push(`${id} ${reason}`),
    });
    delivery.event({ event_id: 'Ev9', event: { type: 'message' } });
    await delivery.idle();
    expect(app.got).toHaveLength(4);
    expect(gaveUp).toEqual(['Ev9 http_error']);
  });

  it('stops waiting to retry when closed', async () => {
    const app = await receiver([500]);
    const delivery = new SlackDelivery({
      url: app.url,
      signingSecret: SECRET,
      clock: Date.now,
      retryDelaysMs: [60_000],
    });
    delivery.event({ event_id: 'Ev3', event: { type: 'message' } });
    while (app.got.length === 0) await new Promise((r) => setTimeout(r, 5));
    delivery.close();
    await delivery.idle();
    expect(app.got).toHaveLength(1);
  });
});
