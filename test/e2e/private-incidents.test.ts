/**
 * Private incidents end to end: declared by command or form into a private channel named after the number only,
 * announced redacted (or not at all), paged with a generic summary, listed only to the channel's members, and
 * never a word of the title outside the channel.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { exportPostmortem } from '../../src/compose-export.js';
import type { SlackApiCall } from '../../packages/sandbox/src/emulators.js';
import { type CatalogHarness, startWithCatalog } from '../support/catalog-harness.js';
import { type Harness, startMuster } from '../support/muster-harness.js';
import { musterCommand } from '../support/muster-process.js';
import { type PagingWorld, sentEvent, sentIncident, startPagingWorld } from '../support/paging-world.js';
import { lastView, submission } from '../support/slack-interactions.js';
import { removeTempDirs } from '../support/temp-dir.js';

const ANNOUNCE = 'C0INCIDENTS';
/** What Slack sends for a title typed as `Acme & <!channel> payroll <@U0BOB> leak`: Slack text, with entities. */
const HOSTILE = 'Acme &amp; <!channel> payroll <@U0BOB> leak';
/** Words of that title, none of which may appear outside the private channel. */
const SECRETS = ['Acme', 'payroll', 'leak', '<!channel>', '&amp;', '<@U0BOB>'];

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops) await stop();
  stops = [];
});
afterAll(() => removeTempDirs());

const start = async (env: Record<string, string> = {}): Promise<Harness> => {
  const h = await startMuster({ env: { INCIDENT_ANNOUNCE_CHANNEL: ANNOUNCE, ...env } });
  stops.push(() => h.stop());
  return h;
};

const startCatalog = async (env: Record<string, string> = {}): Promise<CatalogHarness> => {
  const h = await startWithCatalog(undefined, { INCIDENT_ANNOUNCE_CHANNEL: ANNOUNCE, ...env });
  stops.push(() => h.stop());
  return h;
};

const startPaging = async (): Promise<PagingWorld> => {
  const w = await startPagingWorld({ env: { INCIDENT_ANNOUNCE_CHANNEL: ANNOUNCE } });
  stops.push(() => w.stop());
  return w;
};

/** The private incident's channel in the fake Slack, by its number. */
const privateChannel = (h: Harness, number = 1) => {
  const channel = h.slack.workspace.channel(`inc-${number}-private`);
  if (!channel) throw new Error(`no channel inc-${number}-private`);
  return channel;
};

/**
 * Web API calls that are not about `channelId`: what people outside the channel may see. An ephemeral message
 * to the declarer (where the incident is) is seen by the declarer alone; a file whose upload starts is shared
 * only where its upload completes (files.completeUploadExternal names the channel).
 */
const callsOutside = (h: Harness, channelId: string, declarer = 'U0ALICE'): SlackApiCall[] =>
  h.slack.calls.filter(
    (c) =>
      c.args.channel !== channelId &&
      c.args.channel_id !== channelId &&
      !(c.method === 'chat.postEphemeral' && c.args.user === declarer) &&
      c.method !== 'files.getUploadURLExternal',
  );

/** Fails when a word of the hostile title was sent anywhere but the private channel. */
const expectNoLeak = (h: Harness, channelId: string) => {
  const outside = JSON.stringify(callsOutside(h, channelId).map((c) => [c.method, c.args]));
  for (const secret of SECRETS) expect(outside).not.toContain(secret);
};

const postsTo = (h: Harness, channel: string): string[] =>
  h.slack
    .callsTo('chat.postMessage')
    .filter((c) => c.args.channel === channel)
    .map((c) => String(c.args.text));

describe('declaring a private incident', () => {
  it('opens a private channel named inc-<n>-private with the declarer in it, and announces it redacted', async () => {
    const h = await start();
    const r = await h.command(`declare sev1 --private ${HOSTILE}`, { user: 'U0ALICE' });
    expect(r.status).toBe(200);
    await h.idle();

    const create = h.slack.callsTo('conversations.create');
    expect(create.map((c) => c.args)).toEqual([
      expect.objectContaining({ name: 'inc-1-private', is_private: 'true' }),
    ]);
    const channel = privateChannel(h);
    expect(channel.isPrivate).toBe(true);
    expect(channel.members).toContain('U0ALICE');
    expect(h.slack.callsTo('conversations.invite')[0]!.args).toMatchObject({
      channel: channel.id,
      users: 'U0ALICE',
    });
    expect((await h.rows('select private, channel_name from incidents'))[0]).toEqual({
      private: 1,
      channel_name: 'inc-1-private',
    });
    // inside the channel the title is shown as usual
    expect(
      JSON.stringify(h.slack.callsTo('chat.postMessage').find((c) => c.args.channel === channel.id)),
    ).toContain('payroll');

    expect(postsTo(h, ANNOUNCE)).toEqual([
      ':lock: A private SEV-1 incident was declared. Ask <@U0ALICE> for access.',
    ]);
    expectNoLeak(h, channel.id);
  });

  it('keeps updates, resolution and reopening out of the announce channel: only the redacted notice changes', async () => {
    const h = await start();
    await h.command(`declare sev2 --private ${HOSTILE}`);
    await h.idle();
    const channel = privateChannel(h).id;
    for (const text of [
      'update payroll export stopped',
      'sev 1',
      'resolve payroll leak closed',
      'reopen Acme again',
    ]) {
      expect((await h.command(text, { channel })).status).toBe(200);
      await h.idle();
    }

    const inAnnounce = h.slack.calls.filter((c) => c.args.channel === ANNOUNCE);
    expect(inAnnounce.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
    expect(inAnnounce.filter((c) => c.args.thread_ts)).toEqual([]);
    const updates = inAnnounce.filter((c) => c.method === 'chat.update').map((c) => String(c.args.text));
    expect(updates).toContain(
      ':lock: A private SEV-1 incident was declared. Ask <@U0ALICE> for access. It is resolved.',
    );
    expect(updates.at(-1)).toBe(':lock: A private SEV-1 incident was declared. Ask <@U0ALICE> for access.');
    // the channel itself hears everything
    expect(postsTo(h, channel).join('\n')).toContain('payroll export stopped');
    expectNoLeak(h, channel);
  });

  it('tells nothing outside the channel with PRIVATE_ANNOUNCE=none', async () => {
    const h = await start({ PRIVATE_ANNOUNCE: 'none' });
    await h.command(`declare sev1 --private ${HOSTILE}`);
    await h.idle();
    const channel = privateChannel(h).id;
    await h.command('update payroll numbers out', { channel });
    await h.command('resolve done', { channel });
    await h.idle();
    expect(h.slack.calls.filter((c) => c.args.channel === ANNOUNCE)).toEqual([]);
    expect((await h.rows('select announce_ts from incidents'))[0]!.announce_ts).toBeNull();
    expectNoLeak(h, channel);
  });

  it('declares from the form with the Private box ticked, which `declare --private` without a title ticks', async () => {
    const h = await start();
    await h.command('declare --private sev2', { triggerId: '123.456.abc' });
    await h.idle();
    const opened = lastView(h);
    const box = (opened.view.blocks as { block_id?: string; element?: Record<string, unknown> }[]).find(
      (b) => b.block_id === 'private',
    );
    expect(box?.element?.type).toBe('checkboxes');
    expect(JSON.stringify(box?.element?.initial_options)).toContain('"value":"private"');

    const r = await h.interact(
      submission(opened, {
        title: { text: 'Acme & <!channel> payroll <@U0BOB> leak' },
        severity: { option: '2' },
        private: { checked: ['private'] },
        description: { text: 'payroll file on a public bucket' },
      }),
    );
    expect(r.status).toBe(200);
    await h.idle();
    expect(h.slack.callsTo('conversations.create').map((c) => c.args)).toEqual([
      expect.objectContaining({ name: 'inc-1-private', is_private: 'true' }),
    ]);
    const channel = privateChannel(h);
    expect(channel.members).toContain('U0ALICE');
    expect(postsTo(h, ANNOUNCE)).toEqual([
      ':lock: A private SEV-2 incident was declared. Ask <@U0ALICE> for access.',
    ]);
    expectNoLeak(h, channel.id);
  });

  it('declares a public incident from the form when the box is left unticked', async () => {
    const h = await start();
    await h.command('declare sev3', { triggerId: '123.456.abd' });
    await h.idle();
    const opened = lastView(h);
    await h.interact(
      submission(opened, {
        title: { text: 'search slow' },
        severity: { option: '3' },
        private: { checked: [] },
      }),
    );
    await h.idle();
    expect(h.slack.callsTo('conversations.create').map((c) => c.args)).toEqual([
      expect.objectContaining({ name: 'inc-1-search-slow', is_private: 'false' }),
    ]);
  });
});

describe('team channels of a private incident', () => {
  it('get the redacted notice, without the services or the title', async () => {
    const h = await startCatalog();
    await h.command(`declare sev2 --private checkout ${HOSTILE}`, { user: 'U0ALICE' });
    await h.idle();
    const channel = privateChannel(h).id;
    // the bot joins the team channel to post there (its first post is refused: not_in_channel)
    expect(
      h.slack.workspace
        .messages(h.storefront)
        .filter((m) => m.user === h.slack.workspace.botUserId && !m.subtype)
        .map((m) => m.text),
    ).toEqual([':lock: A private SEV-2 incident was declared. Ask <@U0ALICE> for access.']);
    const outside = JSON.stringify(callsOutside(h, channel).map((c) => c.args));
    expect(outside).not.toContain('checkout');
    expectNoLeak(h, channel);
  });

  it('hear nothing with PRIVATE_ANNOUNCE=none', async () => {
    const h = await startCatalog({ PRIVATE_ANNOUNCE: 'none' });
    await h.command(`declare sev2 --private checkout ${HOSTILE}`);
    await h.idle();
    expect(h.slack.calls.filter((c) => c.args.channel === h.storefront)).toEqual([]);
    expect(h.slack.calls.filter((c) => c.args.channel === ANNOUNCE)).toEqual([]);
    expectNoLeak(h, privateChannel(h).id);
  });
});

describe('paging for a private incident', () => {
  it('sends PagerDuty a generic summary for automatic, manual and escalated pages, without the title or message', async () => {
    const w = await startPaging();
    // sev1 pages checkout automatically (its auto_page policy)
    const incident = await w.declare(`sev1 --private checkout ${HOSTILE}`);
    expect(incident.private).toBe(true);
    const auto = sentEvent(w.pd.fake.eventRequests(`muster-inc-${incident.number}-checkout`, 'trigger')[0]);
    expect(auto.payload.summary).toBe(`INC-${incident.number} (private): SEV-1`);

    await w.inChannel(incident, 'page search payroll numbers leaked by Acme');
    await w.h.idle();
    const rest = sentIncident(w.pd.fake.requestsTo('createIncident').at(-1));
    expect(rest.title).toBe(`INC-${incident.number} (private): SEV-1`);
    expect(rest.incident_key).toBe(`muster-inc-${incident.number}-search`);

    const sent = JSON.stringify(w.pd.fake.requests.map((r) => r.body));
    for (const secret of SECRETS) expect(sent).not.toContain(secret);
    expectNoLeak(w.h, incident.channelId!);
  });
});

describe('listing private incidents', () => {
  it('shows a private incident to members of its channel only, and hides it when Slack cannot say', async () => {
    const h = await start();
    await h.command('declare sev3 search is slow');
    await h.command(`declare sev1 --private ${HOSTILE}`, { user: 'U0ALICE' });
    await h.idle();
    const list = async (user: string) => String((await h.command('list', { user })).json?.text);

    const alice = await list('U0ALICE');
    expect(alice).toContain('INC-2');
    expect(alice).toContain('payroll');
    expect(alice).toContain('INC-1');

    const bob = await list('U0BOB');
    expect(bob).toContain('INC-1');
    expect(bob).not.toContain('INC-2');
    for (const secret of ['Acme', 'payroll']) expect(bob).not.toContain(secret);
    expect(h.slack.callsTo('conversations.members').map((c) => c.args.channel)).toContain(
      privateChannel(h, 2).id,
    );

    // a member added later sees it once the minute of cached members is over
    h.slack.workspace.inviteToChannel(privateChannel(h, 2).id, ['U0BOB'], h.slack.workspace.botUserId);
    h.clock.advanceMinutes(2);
    expect(await list('U0BOB')).toContain('INC-2');

    h.clock.advanceMinutes(2);
    h.slack.failAlways('conversations.members', { error: 'internal_error' });
    const failed = await list('U0ALICE');
    expect(failed).toContain('INC-1');
    expect(failed).not.toContain('INC-2');
    expect(
      h.logs.lines.some((l) => l.includes('could not read the members of a private incident channel')),
    ).toBe(true);
  });
});

describe('the postmortem of a private incident', () => {
  it('is uploaded to the private channel only, and `muster export` writes it', async () => {
    const h = await start();
    await h.command(`declare sev1 --private ${HOSTILE}`);
    await h.idle();
    const channel = privateChannel(h).id;
    await h.command('resolve payroll bucket closed', { channel });
    await h.idle();
    await h.command('postmortem', { channel });
    await h.idle();

    const uploads = h.slack.callsTo('files.completeUploadExternal');
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.args.channel_id).toBe(channel);
    expect(h.slack.callsTo('files.getUploadURLExternal')[0]!.args.filename).toBe('postmortem-INC-1-v1.md');
    expectNoLeak(h, channel);

    const { markdown } = await exportPostmortem(h.app.config, 'INC-1', h.clock.now());
    expect(markdown).toContain('payroll');
    // the operators' command line, by number and by the private channel's name
    for (const which of ['INC-1', 'inc-1-private']) {
      const cli = spawnSync(...musterCommand('export', which), {
        cwd: h.dir,
        env: { PATH: process.env.PATH, DATABASE_URL: h.dbFile },
        encoding: 'utf8',
      });
      expect(cli.status).toBe(0);
      expect(cli.stdout).toContain('payroll');
    }
  });
});

describe('/incident private', () => {
  it('on a public incident, says Slack cannot make its channel private and how to move to a private one', async () => {
    const h = await start();
    await h.command('declare sev2 search is slow');
    await h.idle();
    const channel = h.slack.workspace.channel('inc-1-search-is-slow')!.id;
    const r = await h.command('private', { channel });
    expect(r.json?.response_type).toBe('ephemeral');
    const text = String(r.json?.text);
    expect(text).toContain('Slack cannot make a public channel private without an admin API');
    expect(text).toContain('/incident declare sev2 --private <title>');
    // nothing is asked of Slack: no conversion, no new channel
    expect(h.slack.calls.map((c) => c.method)).not.toContain('admin.conversations.convertToPrivate');
    expect(h.slack.callsTo('conversations.create')).toHaveLength(1);
    expect((await h.rows('select private from incidents'))[0]!.private).toBe(0);
  });

  it('on a private incident, says it is private already, resolved or not', async () => {
    const h = await start();
    await h.command('declare --private payroll leak');
    await h.idle();
    const channel = privateChannel(h).id;
    const r = await h.command('private', { channel });
    expect(String(r.json?.text)).toContain('INC-1 is already private');
    await h.command('resolve closed', { channel });
    await h.idle();
    expect(String((await h.command('private', { channel })).json?.text)).toContain(
      'INC-1 is already private',
    );
  });

  it('is in the help', async () => {
    const h = await start();
    const help = String((await h.command('help')).json?.text);
    expect(help).toContain('/incident private');
    expect(help).toContain('--private');
  });
});
