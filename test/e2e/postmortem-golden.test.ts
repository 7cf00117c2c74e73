/**
 * The golden postmortem of a whole incident driven through the real app: signed slash commands, messages and
 * reactions from the fake Slack, a page acknowledged by a signed PagerDuty webhook, a button press, all on a
 * fixed clock with INCIDENT_TIMEZONE=Europe/Berlin. The uploaded markdown is compared byte for byte with
 * test/fixtures/postmortem-story.md; only the fakes' port numbers are replaced, since they change every run.
 * Run with UPDATE_GOLDEN=1 to rewrite the file after a deliberate change, then review the diff.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPostmortem } from '../../src/compose-export.js';
import { expectGolden, startStoryWorld, withoutPorts } from '../support/story-world.js';
import { removeTempDirs } from '../support/temp-dir.js';

const GOLDEN = fileURLToPath(new URL('../fixtures/postmortem-story.md', import.meta.url));
const WEBHOOK_SECRET = 'pd-webhook-secret-golden';

afterAll(() => removeTempDirs());

describe('the postmortem of a story incident, driven through the app', () => {
  it('uploads exactly the checked-in markdown, and the export from the database alone is the same', async () => {
    const { clock, at, slack, pd, h, lastUpload, stop } = await startStoryWorld({
      startAt: [9, 52],
      webhookSecret: WEBHOOK_SECRET,
      catalog: (routingKey) => `services:
  - name: checkout
    aliases: [checkout-api]
    owner: Storefront
    runbooks:
      - title: Checkout returns 5xx
        url: https://wiki.example.com/runbooks/checkout-5xx
    pagerduty:
      routing_key: ${routingKey}
    paging:
      auto_page: []
`,
    });
    try {
      const ws = slack.workspace;
      // Slack sends what people type with &, < and > escaped
      const declared = await h.command(
        'declare sev2 Checkout-API returns 502 for *card* payments | &lt;b&gt;EU&lt;/b&gt;',
        { user: 'U0ALICE' },
      );
      expect(declared.status).toBe(200);
      await h.idle();
      const incident = (await h.app.deps.store.incidents.get(1))!;
      const channel = incident.channelId!;
      const inChannel = async (user: string, text: string) => {
        const r = await h.command(text, { user, channel });
        expect(r.status, text).toBe(200);
        expect(String(r.json?.text ?? ''), text).not.toMatch(/:warning:/);
        await h.idle();
        return r;
      };
      const say = async (user: string, text: string) => {
        const ev = ws.userPostMessage({ user, channel, text });
        await h.event(ev);
        await h.idle();
        return ev.ts as string;
      };
      const react = async (user: string, ts: string) => {
        await h.event(ws.userAddReaction({ user, channel, ts, reaction: 'pushpin' }));
        await h.idle();
      };
      for (const user of ['U0BOB', 'U0CAROL', 'U0DAVE']) ws.userJoinChannel({ user, channel });

      at(9, 54);
      const pool = await say('U0BOB', 'p99 on checkout-db is 4s: pool exhausted | see `pg_stat_activity`');
      at(9, 55);
      await react('U0CAROL', pool);
      at(9, 56);
      await inChannel('U0ALICE', 'role tech <@U0BOB>');
      at(9, 57);
      await inChannel('U0ALICE', 'page checkout card payments fail at checkout');
      at(10, 1);
      const pdIncident = pd.incidentsFor('muster-inc-1-checkout')[0]!;
      const ack = await pd.sendWebhook('incident.acknowledged', pdIncident.id, {
        url: `${h.url}/pagerduty/webhook`,
        secret: WEBHOOK_SECRET,
      });
      expect(ack.status).toBe(202);
      await h.idle();
      at(10, 3);
      await inChannel('U0ALICE', 'role comms <@U0DAVE>');
      at(10, 5);
      await inChannel(
        'U0BOB',
        'note rolled back deploy *v42* &amp; restarted the pool: <https://deploy.example.com/42|deploy 42>\n# not a heading',
      );
      at(10, 8);
      await inChannel('U0ALICE', 'sev 1');
      at(10, 10);
      await inChannel('U0BOB', 'status identified');
      at(10, 12);
      await inChannel('U0ALICE', 'role ic <@U0CAROL>');
      at(10, 15);
      await inChannel('U0CAROL', 'update Rolled back checkout-api; error rate falling. Next update 10:45');
      at(10, 20);
      await inChannel('U0CAROL', 'status monitoring');
      at(10, 22);
      const rate = await say('U0BOB', 'Error rate is 0.4% &amp; falling');
      at(10, 23);
      await react('U0ALICE', rate);
      at(10, 24);
      await h.event(
        ws.userEditMessage({ user: 'U0BOB', channel, ts: rate, text: 'Error rate is 0.3% &amp; falling' }),
      );
      await h.idle();
      at(10, 25);
      await inChannel('U0ALICE', 'action Add a pool saturation alert <@U0BOB> p1 due 2026-12-01');
      at(10, 26);
      await inChannel('U0CAROL', 'action Document the rollback in the &lt;checkout&gt; runbook p0');
      at(10, 27);
      const unpinned = await say('U0DAVE', 'Support says the EU dashboard is fine again');
      await react('U0DAVE', unpinned);
      at(10, 28);
      // the last timeline reaction taken away takes the message off the timeline, and out of the document
      await h.event(ws.userRemoveReaction({ user: 'U0DAVE', channel, ts: unpinned, reaction: 'pushpin' }));
      await h.idle();
      at(10, 30);
      const list = await h.command('actions', { user: 'U0DAVE', channel });
      const doc = (await h.app.deps.store.actions.list(1)).find((a) => a.priority === 'p0')!;
      expect(JSON.stringify(list.json?.blocks)).toContain('"action_id":"action.done"');
      const pressed = await h.interact({
        type: 'block_actions',
        user: { id: 'U0DAVE', username: 'dave', name: 'dave', team_id: 'T0MUSTER' },
        api_app_id: 'A0MUSTER',
        token: 'legacy-verification-token',
        container: { type: 'message', message_ts: '1.000100', channel_id: channel, is_ephemeral: true },
        trigger_id: ws.mintTriggerId('U0DAVE'),
        team: { id: 'T0MUSTER', domain: 'muster-sandbox' },
        channel: { id: channel, name: incident.channelName },
        response_url: slack.responseUrl(),
        actions: [
          {
            action_id: 'action.done',
            block_id: `action:${doc.id}`,
            value: String(doc.id),
            type: 'button',
            text: { type: 'plain_text', text: 'Mark done' },
            action_ts: '1.000200',
          },
        ],
      });
      expect(pressed.status).toBe(200);
      await h.idle();
      at(10, 40);
      await inChannel('U0CAROL', 'resolve Rolled back checkout-api to v41; pool size raised');
      at(10, 45);
      await inChannel('U0CAROL', 'postmortem');

      const uploaded = lastUpload();
      expectGolden(GOLDEN, uploaded);
      expect(
        (await h.app.deps.store.timeline.list(1, { includeRemoved: true })).map((e) => e.text),
      ).toContain('Support says the EU dashboard is fine again');

      // `muster export` writes the same document from the database alone
      const exported = (await exportPostmortem(h.app.config, 'INC-1', clock.now())).markdown;
      expect(withoutPorts(exported)).toBe(uploaded);
    } finally {
      await stop();
    }
  });
});
