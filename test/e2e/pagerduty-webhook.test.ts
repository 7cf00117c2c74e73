/** `POST /pagerduty/webhook`: verified, stored before the 202, applied once, and what each event does to a page. */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { signPagerDutyWebhook } from '../../src/adapters/pagerduty/signature.js';
import { pagerDutyWebhookRoute } from '../../src/adapters/pagerduty/webhook-route.js';
import type { Incident } from '../../src/domain/incident.js';
import { type PagingWorld, startPagingWorld, WEBHOOK_SECRET } from '../support/paging-world.js';
import { removeTempDirs } from '../support/temp-dir.js';

const SAMPLES = '/work/shared/specs/pagerduty-samples/docs-webhooks-v3';

let w: PagingWorld | null = null;
afterEach(async () => {
  await w?.stop();
  w = null;
});
afterAll(() => removeTempDirs());

const start = async (o: Parameters<typeof startPagingWorld>[0] = {}) => {
  w = await startPagingWorld(o);
  return w;
};

const post = async (world: PagingWorld, body: string, headers: Record<string, string>) => {
  const r = await fetch(world.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: r.status, text: await r.text() };
};
const signed = (body: string, secret = WEBHOOK_SECRET) => ({
  'x-pagerduty-signature': signPagerDutyWebhook(body, [secret]),
});

/** An incident of ours paged through Events v2, and its PagerDuty incident. */
async function paged(
  world: PagingWorld,
  service = 'checkout',
): Promise<{ incident: Incident; pdId: string }> {
  const incident = await world.declare(`sev2 ${service} returns 500s`);
  await world.inChannel(incident, `page ${service}`);
  await world.h.idle();
  const pdId = world.pd.incidentsFor(`muster-inc-${incident.number}-${service}`)[0]!.id;
  return { incident, pdId };
}

const pageEvents = async (world: PagingWorld, incident: Incident) =>
  (await world.h.app.deps.store.timeline.list(incident.number))
    .filter((e) => e.actor === 'pagerduty')
    .map((e) => e.text);

describe('refused webhooks', () => {
  it('403 without or with a wrong signature, 400 for a body that is not a v3 event; nothing stored', async () => {
    const world = await start();
    const body = readFileSync(`${SAMPLES}/webhook_v3.incident.priority_updated.json`, 'utf8');
    expect((await post(world, body, {})).status).toBe(403);
    expect((await post(world, body, signed(body, 'another-secret'))).status).toBe(403);
    expect((await post(world, body, { 'x-pagerduty-signature': 'v1=zzzz' })).status).toBe(403);
    expect((await post(world, '{"event": ', signed('{"event": '))).status).toBe(400);
    expect((await post(world, '{"hello":"world"}', signed('{"hello":"world"}'))).status).toBe(400);
    expect(world.rows("select count(*) as n from inbound_events where source = 'pagerduty'")[0]!.n).toBe(0);
    expect(world.h.logs.text).toContain('missing or wrong signature');
  });

  it('403 for everything when PAGERDUTY_WEBHOOK_SECRET is not set', async () => {
    const world = await start({ env: { PAGERDUTY_WEBHOOK_SECRET: undefined } });
    const body = readFileSync(`${SAMPLES}/webhook_v3.incident.priority_updated.json`, 'utf8');
    expect((await post(world, body, signed(body))).status).toBe(403);
  });
});

describe('accepted webhooks', () => {
  it('accepts either secret of a comma-separated PAGERDUTY_WEBHOOK_SECRET while one is rotated, and any matching v1= entry', async () => {
    const world = await start({ env: { PAGERDUTY_WEBHOOK_SECRET: `pd-new-secret-77, ${WEBHOOK_SECRET}` } });
    const body = readFileSync(`${SAMPLES}/webhook_v3.service.updated.json`, 'utf8');
    expect((await post(world, body, signed(body))).status).toBe(202);
    expect((await post(world, body, signed(body, 'pd-new-secret-77'))).status).toBe(202);
    // PagerDuty rotating on its side signs with both; one entry Muster knows is enough.
    const both = {
      'x-pagerduty-signature': signPagerDutyWebhook(body, ['pd-unknown-secret', WEBHOOK_SECRET]),
    };
    expect((await post(world, body, both)).status).toBe(202);
    expect((await post(world, body, signed(body, 'pd-retired-secret'))).status).toBe(403);
  });

  it('stores an event type Muster does not handle and an unknown PagerDuty incident, and ignores both', async () => {
    const world = await start();
    await paged(world);
    const service = readFileSync(`${SAMPLES}/webhook_v3.service.updated.json`, 'utf8');
    const other = readFileSync(`${SAMPLES}/webhook_v3.incident.priority_updated.json`, 'utf8');
    // a handled type, for a PagerDuty incident Muster never paged (data from the docs sample)
    const foreign = JSON.stringify({
      event: {
        id: 'EVT-FOREIGN',
        event_type: 'incident.acknowledged',
        resource_type: 'incident',
        occurred_at: '2026-11-23T09:00:00Z',
        agent: null,
        client: null,
        data: JSON.parse(readFileSync(`${SAMPLES}/data.incident.json`, 'utf8')),
      },
    });
    for (const body of [service, other, foreign])
      expect((await post(world, body, signed(body))).status).toBe(202);
    await world.h.idle();
    const rows = world.rows("select event_id, processed_at from inbound_events where source = 'pagerduty'");
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.processed_at !== null)).toBe(true);
    expect(world.rows("select count(*) as n from timeline_entries where actor = 'pagerduty'")[0]!.n).toBe(0);
    expect(world.rows('select status from pages')).toEqual([{ status: 'triggered' }]);
    expect(world.h.logs.text).toContain('PagerDuty event for an incident Muster did not page; ignored');
  });

  it('answers 202 as soon as the delivery is stored, and applies it after the answer', async () => {
    const world = await start();
    const { incident, pdId } = await paged(world);
    const delivery = await world.pd.sendWebhook('incident.acknowledged', pdId, {
      url: 'http://127.0.0.1:9/unreachable',
      secret: WEBHOOK_SECRET,
    });
    // What the database holds at the instant the route answers is what PagerDuty can rely on: the delivery
    // is stored, and nothing slow (Slack) has been waited for.
    const atAnswer: { status: number; stored: unknown[]; page: string | undefined }[] = [];
    const res = {
      headersSent: false,
      writeHead(status: number) {
        atAnswer.push({
          status,
          stored: world.rows("select event_id, processed_at from inbound_events where source = 'pagerduty'"),
          page: world.rows(
            `select status from pages where incident_number = ${incident.number} order by id`,
          )[0]?.status as string | undefined,
        });
        return this;
      },
      end() {
        return this;
      },
    };
    const req = { headers: signed(delivery.body) };
    await pagerDutyWebhookRoute(
      world.h.app.deps,
      world.h.app.instanceId,
    )({
      req: req as unknown as IncomingMessage,
      res: res as unknown as ServerResponse,
      body: Buffer.from(delivery.body),
      requestId: 'req-1',
      log: world.h.app.log,
    });
    expect(atAnswer).toEqual([
      { status: 202, stored: [{ event_id: delivery.eventId, processed_at: null }], page: 'triggered' },
    ]);
    await world.h.idle();
    expect((await world.h.app.deps.store.pages.list(incident.number))[0]!.status).toBe('acknowledged');
  });

  it('applies a replayed event id once', async () => {
    const world = await start();
    const { incident, pdId } = await paged(world);
    const first = await world.pd.sendWebhook('incident.acknowledged', pdId, {
      url: world.webhookUrl,
      secret: WEBHOOK_SECRET,
      eventId: 'EVT-1',
    });
    const replay = await world.pd.sendWebhook('incident.acknowledged', pdId, {
      url: world.webhookUrl,
      secret: WEBHOOK_SECRET,
      eventId: 'EVT-1',
    });
    expect([first.status, replay.status]).toEqual([202, 202]);
    await world.h.idle();
    expect(await pageEvents(world, incident)).toEqual(['checkout page acknowledged by Jane Doe after 0 s']);
    expect(
      world.posted(incident.channelId!).filter((t) => t.includes('acknowledged by Jane Doe')),
    ).toHaveLength(1);
  });

  it('records escalated, reassigned, annotated and resolved on the timeline, the page and the headline', async () => {
    const world = await start();
    const { incident, pdId } = await paged(world);
    const send = (type: string, extra: Record<string, unknown> = {}) =>
      world.pd.sendWebhook(type, pdId, { url: world.webhookUrl, secret: WEBHOOK_SECRET, ...extra });
    await send('incident.triggered');
    await send('incident.escalated');
    await send('incident.reassigned', { assigneeUserIds: ['PU00001'], agentUserId: 'PU00002' });
    await send('incident.annotated', { note: 'looking at the DB', agentUserId: 'PU00001' });
    await send('incident.resolved', { agentUserId: 'PU00001' });
    await world.h.idle();
    expect(await pageEvents(world, incident)).toEqual([
      `PagerDuty #1 opened for checkout, assigned to Jane Doe`,
      'checkout page escalated in PagerDuty to Sam Lee',
      'checkout page reassigned to Jane Doe by Sam Lee',
      'Note on the checkout page by Jane Doe: looking at the DB',
      'checkout page resolved in PagerDuty by Jane Doe',
    ]);
    const page = (await world.h.app.deps.store.pages.list(incident.number))[0]!;
    expect(page).toMatchObject({ status: 'resolved', pdIncidentId: pdId });
    const headline = JSON.stringify(world.h.slack.callsTo('chat.update').at(-1)!.args.blocks);
    expect(headline).toContain('checkout (resolved)');
    const told = world.posted(incident.channelId!).join('\n');
    expect(told).toContain(':memo: Note on the checkout page by Jane Doe: looking at the DB');
    expect(told).not.toContain('PagerDuty #1 opened');
  });

  it('links a REST page by its PagerDuty incident id', async () => {
    const world = await start();
    const { incident, pdId } = await paged(world, 'search');
    await world.pd.sendWebhook('incident.acknowledged', pdId, {
      url: world.webhookUrl,
      secret: WEBHOOK_SECRET,
      agentUserId: 'PU00002',
    });
    await world.h.idle();
    expect((await world.h.app.deps.store.pages.list(incident.number))[0]).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'Sam Lee',
    });
  });

  it('applies a webhook stored before a crash when Muster starts again', async () => {
    const world = await start();
    const { incident, pdId } = await paged(world);
    // the delivery Muster stored but did not get to apply
    const delivery = await world.pd.sendWebhook('incident.acknowledged', pdId, {
      url: 'http://127.0.0.1:9/unreachable',
      secret: WEBHOOK_SECRET,
    });
    await world.h.app.stop();
    const db = new Database(world.h.dbFile);
    // as the receiver stores it: held by the instance that received it, which then died
    db.prepare(
      `insert into inbound_events (source, event_id, body, received_at, claimed_by, claimed_until)
       values ('pagerduty', ?, ?, ?, 'the instance that died', ?)`,
    ).run(delivery.eventId, delivery.body, world.clock.now(), world.clock.now() + 20_000);
    db.close();
    // the restarted process is another instance: it takes the webhook over once that lease is over
    world.clock.advance(20_000);
    await world.restart();
    expect((await world.h.app.deps.store.pages.list(incident.number))[0]!.status).toBe('acknowledged');
    expect(await pageEvents(world, incident)).toEqual(['checkout page acknowledged by Jane Doe after 0 s']);
  });
});
