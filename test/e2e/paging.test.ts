/** Issue 7 end to end: paging through PagerDuty (Events v2 and REST), acknowledgements, escalation, resolve. */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { exportPostmortem } from '../../src/compose-export.js';
import type { Incident } from '../../src/domain/incident.js';
import { computeKeyTimes } from '../../src/domain/key-times.js';
import {
  type PagingWorld,
  sentEvent,
  sentIncident,
  startPagingWorld,
  WEBHOOK_SECRET,
} from '../support/paging-world.js';
import { removeTempDirs } from '../support/temp-dir.js';

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

/** The press of an Escalate button carrying `value`, from the incident channel. */
const escalatePress = (world: PagingWorld, incident: Incident, value: string, user = 'U0BOB') => ({
  type: 'block_actions',
  user: { id: user, username: 'bob', name: 'bob', team_id: 'T0MUSTER' },
  api_app_id: 'A0MUSTER',
  token: 'legacy-verification-token',
  container: { type: 'message', message_ts: '1.000100', channel_id: incident.channelId, is_ephemeral: false },
  trigger_id: world.h.slack.workspace.mintTriggerId(user),
  team: { id: 'T0MUSTER', domain: 'muster-sandbox' },
  channel: { id: incident.channelId, name: incident.channelName },
  response_url: world.h.slack.responseUrl(),
  actions: [
    {
      action_id: 'page.escalate',
      block_id: 'page-escalate:1',
      value,
      type: 'button',
      text: { type: 'plain_text', text: 'Escalate' },
      action_ts: '1.000200',
    },
  ],
});

/** The value of the last Escalate button the bot posted in the channel. */
const lastEscalateValue = (world: PagingWorld, channelId: string): string => {
  const calls = world.h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === channelId);
  for (const c of calls.reverse()) {
    const blocks = (c.args.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[];
    const button = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'page.escalate');
    if (button?.value) return button.value;
  }
  throw new Error('no Escalate button posted');
};

const headlineText = (world: PagingWorld, incident: Incident): string => {
  const updates = world.h.slack.callsTo('chat.update').filter((c) => c.args.channel === incident.channelId);
  return JSON.stringify(updates.at(-1)?.args.blocks ?? []);
};

describe('paging a service through Events API v2', () => {
  it('triggers once with the incident in the summary, names who is on call, and follows the acknowledgement', async () => {
    const world = await start();
    const incident = await world.declare('sev2 checkout returns 500s');
    // sev2 is not in checkout's auto_page policy
    expect(world.pd.fake.requestsTo('enqueue')).toHaveLength(0);

    const r = await world.inChannel(incident, 'page checkout the database is on fire & smoking');
    expect(r.status).toBe(200);
    expect(String(r.json?.text)).toContain('Paging *checkout*');
    await world.h.idle();

    const key = `muster-inc-${incident.number}-checkout`;
    expect(world.pd.triggersFor(key)).toBe(1);
    const sent = sentEvent(world.pd.fake.eventRequests(key, 'trigger')[0]);
    expect(sent.routing_key).toBe(world.pd.routingKey);
    expect(sent.payload.summary).toBe(`INC-${incident.number}: checkout returns 500s (SEV-2)`);
    expect(sent.payload.severity).toBe('error');
    expect(sent.payload.source).toBe(`muster:INC-${incident.number}`);
    expect(sent.payload.custom_details).toMatchObject({
      commander: 'Alice',
      channel: `#${incident.channelName}`,
      message: 'the database is on fire & smoking',
    });
    expect(sent.links[0]!.href).toContain(`channel=${incident.channelId}`);

    const posted = world.posted(incident.channelId!).join('\n');
    expect(posted).toContain('Paged *checkout* by <@U0ALICE>');
    expect(posted).toContain('On call: Jane Doe (level 1) · Sam Lee (level 2)');
    const page = (await world.h.app.deps.store.pages.list(incident.number))[0]!;
    expect(page).toMatchObject({ status: 'triggered', via: 'events', dedupKey: key, requestedBy: 'U0ALICE' });
    expect(page.triggeredAt).toBe(world.clock.now());
    const entry = (await world.h.app.deps.store.timeline.list(incident.number)).find(
      (e) => e.kind === 'page',
    );
    expect(entry?.text).toBe('Paged checkout: the database is on fire & smoking');

    // Jane acknowledges in PagerDuty three minutes later
    world.clock.advanceMinutes(3);
    const pdIncident = world.pd.incidentsFor(key)[0]!;
    const delivery = await world.pd.sendWebhook('incident.acknowledged', pdIncident.id, {
      url: world.webhookUrl,
      secret: WEBHOOK_SECRET,
    });
    expect(delivery.status).toBe(202);
    await world.h.idle();

    const acked = (await world.h.app.deps.store.pages.get(page.id))!;
    expect(acked).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: 'Jane Doe',
      pdIncidentId: pdIncident.id,
    });
    expect(acked.acknowledgedAt! - acked.requestedAt).toBe(3 * 60_000);
    const ack = (await world.h.app.deps.store.timeline.list(incident.number)).find(
      (e) => e.kind === 'page_ack',
    );
    expect(ack?.text).toBe('checkout page acknowledged by Jane Doe after 3 min');
    expect(world.posted(incident.channelId!).at(-1)).toContain('checkout page acknowledged by Jane Doe');
    expect(headlineText(world, incident)).toContain('checkout (acknowledged by Jane Doe)');
    // time to acknowledge is there for the postmortem
    const times = computeKeyTimes(
      (await world.h.app.deps.store.incidents.get(incident.number))!,
      await world.h.app.deps.store.timeline.list(incident.number),
      await world.h.app.deps.store.pages.list(incident.number),
      world.clock.now(),
    );
    expect(times.tta).toBe(3 * 60_000);
    // ...and in the postmortem itself
    const { markdown } = await exportPostmortem(
      world.h.app.config,
      `INC-${incident.number}`,
      world.clock.now(),
    );
    expect(markdown).toContain('| Time to acknowledge (TTA) | first page | first acknowledgement | 3 min |');
    expect(markdown).toMatch(/\| checkout \| [^|]+ \| [^|]+ \| [^|]+ \| Jane Doe \| [^|]+ \| 3 min \|/);

    // paging again says so, offers escalation, and sends nothing
    const again = await world.inChannel(incident, 'page cart');
    expect(String(again.json?.text)).toContain(
      '*checkout* was already paged 3 min ago (acknowledged by Jane Doe)',
    );
    expect(JSON.stringify(again.json?.blocks)).toContain('page.escalate');
    await world.h.idle();
    expect(world.pd.fake.requestsTo('enqueue')).toHaveLength(1);
    expect((await world.h.rows('select count(*) as n from outbox'))[0]!.n).toBe(1);

    // resolving the incident resolves the page, with the same dedup key, through the outbox
    await world.inChannel(incident, 'resolve rolled back the deploy');
    await world.h.idle();
    expect(world.pd.fake.eventRequests(key, 'resolve')).toHaveLength(1);
    expect(world.pd.incidentsFor(key)[0]!.status).toBe('resolved');
    expect((await world.h.app.deps.store.pages.get(page.id))!.status).toBe('resolved');
    expect(await world.h.rows("select kind, state from outbox where kind = 'pagerduty.resolve'")).toEqual([
      { kind: 'pagerduty.resolve', state: 'delivered' },
    ]);
  });
});

describe('paging a service through the REST API', () => {
  it('opens a PagerDuty incident, prompts once after 10 min unacknowledged, escalates by the button, resolves', async () => {
    const world = await start();
    const incident = await world.declare('sev2 search is slow');
    await world.inChannel(incident, 'page search p99 at 8 s');
    await world.h.idle();

    const created = world.pd.fake.requestsTo('createIncident');
    expect(created).toHaveLength(1);
    expect(created[0]!.headers.from).toBe(world.pd.from);
    const body = sentIncident(created[0]);
    expect(body).toMatchObject({
      title: `INC-${incident.number}: search is slow (SEV-2)`,
      urgency: 'high',
      incident_key: `muster-inc-${incident.number}-search`,
      service: { id: 'PSVC002' },
      escalation_policy: { id: 'PEP0001' },
    });
    expect(body.body?.details).toContain('message: p99 at 8 s');
    const pdIncident = world.pd.incidentsFor(`muster-inc-${incident.number}-search`)[0]!;
    const page = (await world.h.app.deps.store.pages.list(incident.number))[0]!;
    expect(page).toMatchObject({ via: 'rest', status: 'triggered', pdIncidentId: pdIncident.id });
    expect(world.posted(incident.channelId!).join('\n')).toContain(
      `as <${pdIncident.base}/incidents/${pdIncident.id}|PagerDuty #${pdIncident.number}>`,
    );

    // nine minutes: nothing; ten: one prompt with an Escalate button; later ticks do not repeat it
    world.clock.advanceMinutes(9);
    await world.h.app.tick();
    expect(world.posted(incident.channelId!).join('\n')).not.toContain('Nobody has acknowledged');
    world.clock.advanceMinutes(1);
    await world.h.app.tick();
    world.clock.advanceMinutes(1);
    await world.h.app.tick();
    const prompts = world
      .posted(incident.channelId!)
      .filter((t) => t.includes('Nobody has acknowledged the page to *search*'));
    expect(prompts).toHaveLength(1);
    const value = lastEscalateValue(world, incident.channelId!);

    const pressed = await world.h.interact(escalatePress(world, incident, value));
    expect(pressed.status).toBe(200);
    await world.h.idle();
    const update = world.pd.fake.requestsTo('updateIncident');
    expect(update).toHaveLength(1);
    expect(sentIncident(update[0]).escalation_level).toBe(2);
    expect(world.pd.fake.incident(pdIncident.id)!.escalationLevel).toBe(2);
    expect(world.posted(incident.channelId!).at(-1)).toContain(
      '<@U0BOB> escalated the page to *search* to level 2',
    );
    expect((await world.h.app.deps.store.timeline.list(incident.number)).map((e) => e.text)).toContain(
      'Escalated the page to search to level 2',
    );

    // a second press of the same button escalates nothing more
    const responses = world.h.slack.responses.length;
    await world.h.interact(escalatePress(world, incident, value));
    await world.h.idle();
    expect(world.pd.fake.requestsTo('updateIncident')).toHaveLength(1);
    expect(JSON.stringify(world.h.slack.responses.slice(responses))).toContain('already escalated (level 2)');

    // ten minutes after the escalation, still unacknowledged: prompted again
    world.clock.advanceMinutes(10);
    await world.h.app.tick();
    expect(
      world.posted(incident.channelId!).filter((t) => t.includes('Nobody has acknowledged')),
    ).toHaveLength(2);

    await world.inChannel(incident, 'status resolved');
    await world.h.idle();
    const resolved = world.pd.fake.requestsTo('updateIncident').at(-1)!;
    expect(sentIncident(resolved).status).toBe('resolved');
    expect(world.pd.fake.incident(pdIncident.id)!.status).toBe('resolved');
    expect((await world.h.app.deps.store.pages.get(page.id))!.status).toBe('resolved');
  });

  it('escalates an Events v2 page with a new trigger marked as an escalation', async () => {
    const world = await start();
    const incident = await world.declare('sev3 cart totals are wrong');
    await world.inChannel(incident, 'sev 1');
    await world.inChannel(incident, 'page checkout');
    await world.h.idle();
    world.clock.advanceMinutes(10);
    await world.h.app.tick();
    await world.h.interact(escalatePress(world, incident, lastEscalateValue(world, incident.channelId!)));
    await world.h.idle();

    const key = `muster-inc-${incident.number}-checkout`;
    expect(world.pd.triggersFor(key)).toBe(1);
    expect(world.pd.triggersFor(`${key}-2`)).toBe(1);
    const again = sentEvent(world.pd.fake.eventRequests(`${key}-2`, 'trigger')[0]);
    expect(again.payload.summary).toBe(`[escalation] INC-${incident.number}: cart totals are wrong (SEV-1)`);
    expect(again.payload.severity).toBe('critical');
    expect(String(again.payload.custom_details.message)).toContain('is not acknowledged yet');
    expect(world.posted(incident.channelId!).join('\n')).toContain(
      'PagerDuty gets a new trigger marked as an escalation',
    );

    // resolving resolves both PagerDuty incidents
    await world.inChannel(incident, 'resolve');
    await world.h.idle();
    expect(world.pd.fake.eventRequests(key, 'resolve')).toHaveLength(1);
    expect(world.pd.fake.eventRequests(`${key}-2`, 'resolve')).toHaveLength(1);
  });
});

describe('escalating from `page` on a service already paged', () => {
  it('offers the Escalate button in the answer, which escalates like the prompt, after PAGE_ESCALATION_MINUTES', async () => {
    const world = await start({ env: { PAGE_ESCALATION_MINUTES: '3' } });
    const incident = await world.declare('sev1 search is down');
    await world.inChannel(incident, 'page search');
    await world.h.idle();
    const pdIncident = world.pd.incidentsFor(`muster-inc-${incident.number}-search`)[0]!;

    // the configured 3 minutes, not the default 10
    world.clock.advanceMinutes(3);
    await world.h.app.tick();
    expect(
      world
        .posted(incident.channelId!)
        .filter((t) => t.includes('Nobody has acknowledged the page to *search* for 3 min')),
    ).toHaveLength(1);

    const again = await world.inChannel(incident, 'page search wake someone else');
    expect(again.json?.response_type).toBe('ephemeral');
    expect(String(again.json?.text)).toContain(
      '*search* was already paged 3 min ago (not acknowledged yet). Nothing new was sent.',
    );
    const blocks = (again.json?.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[];
    const value = blocks.flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'page.escalate')?.value;
    expect(value).toBeDefined();
    // the button sits on an ephemeral message, as Slack says in the press
    const press = escalatePress(world, incident, value!);
    await world.h.interact({ ...press, container: { ...press.container, is_ephemeral: true } });
    await world.h.idle();

    expect(world.pd.fake.requestsTo('createIncident')).toHaveLength(1);
    expect(world.pd.fake.incident(pdIncident.id)!.escalationLevel).toBe(2);
    expect(world.posted(incident.channelId!).at(-1)).toContain(
      '<@U0BOB> escalated the page to *search* to level 2',
    );
  });
});

describe('automatic paging on declare', () => {
  it('pages the services named in a sev1 title, and not at a severity their policy leaves out', async () => {
    const world = await start();
    const sev1 = await world.declare('sev1 checkout is down');
    expect(world.pd.triggersFor(`muster-inc-${sev1.number}-checkout`)).toBe(1);
    const sent = sentEvent(world.pd.fake.eventRequests(`muster-inc-${sev1.number}-checkout`)[0]);
    expect(sent.payload.severity).toBe('critical');
    expect(world.posted(sev1.channelId!).join('\n')).toContain(
      'Paged *checkout* automatically (severity policy)',
    );
    const entry = (await world.h.app.deps.store.timeline.list(sev1.number)).find((e) => e.kind === 'page');
    expect(entry).toMatchObject({ actor: 'muster', text: 'Paged checkout automatically (SEV-1 policy)' });

    const sev2 = await world.declare('sev2 checkout is slow');
    const sev1Search = await world.declare('sev1 search is down');
    expect(world.pd.fake.requestsTo('enqueue')).toHaveLength(1);
    expect(world.pd.fake.requestsTo('createIncident')).toHaveLength(0);
    expect(await world.h.app.deps.store.pages.list(sev2.number)).toHaveLength(0);
    expect(await world.h.app.deps.store.pages.list(sev1Search.number)).toHaveLength(0);
  });
});

describe('page: bad input', () => {
  it('answers clearly and queues nothing for an unknown service, a service without a target, or outside an incident', async () => {
    const world = await start();
    const incident = await world.declare('sev2 checkout returns 500s');
    const unknown = await world.inChannel(incident, 'page chekout');
    expect(String(unknown.json?.text)).toContain(
      'No service "chekout" in the catalog. Did you mean `checkout`?',
    );
    const noTarget = await world.inChannel(incident, 'page billing');
    expect(String(noTarget.json?.text)).toContain('*billing* has no PagerDuty target in the catalog');
    const missing = await world.inChannel(incident, 'page');
    expect(String(missing.json?.text)).toContain('Missing the service to page');
    const outside = await world.h.command('page checkout');
    expect(String(outside.json?.text)).toContain('acts on an incident');
    await world.h.idle();
    expect((await world.h.rows('select count(*) as n from pages'))[0]!.n).toBe(0);
    expect((await world.h.rows('select count(*) as n from outbox'))[0]!.n).toBe(0);
    expect(world.pd.fake.requests).toHaveLength(0);
  });

  it('says PagerDuty is not configured for a REST-only service without a token, and queues nothing', async () => {
    const world = await start({ noRestToken: true });
    const incident = await world.declare('sev2 search is slow');
    const r = await world.inChannel(incident, 'page search');
    expect(String(r.json?.text)).toContain(
      'PagerDuty is not configured for *search*: its target is a REST service id, and PAGERDUTY_API_TOKEN and PAGERDUTY_FROM are not set',
    );
    await world.h.idle();
    expect((await world.h.rows('select count(*) as n from outbox'))[0]!.n).toBe(0);
    // the catalog listing says the same, while checkout (Events v2, no token needed) can be paged
    const services = String((await world.h.command('services')).json?.text);
    expect(services).toContain(
      '*search*\nOwner: Discovery\nRunbooks: _none yet_ (`npm run muster -- runbook search` starts one)\n:no_bell: Cannot be paged yet: its PagerDuty target is the REST API, which needs PAGERDUTY_API_TOKEN and PAGERDUTY_FROM',
    );
    expect(services).toContain(
      ':pager: Can be paged (Events API v2, REST API) · pages automatically at SEV-1',
    );
  });

  it('refuses to page for a resolved incident', async () => {
    const world = await start();
    const incident = await world.declare('sev2 checkout returns 500s');
    await world.inChannel(incident, 'resolve');
    const r = await world.inChannel(incident, 'page checkout');
    expect(String(r.json?.text)).toContain('is resolved');
    expect((await world.h.rows('select count(*) as n from pages'))[0]!.n).toBe(0);
  });
});
