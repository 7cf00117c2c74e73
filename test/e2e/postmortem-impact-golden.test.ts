/**
 * The golden postmortem of an incident whose customer impact began before it was declared: a deploy at 15:08,
 * checkout failing from 15:10, an alert seen at 15:12, the incident declared at 15:21. Driven through the real
 * app (signed slash commands, a PagerDuty webhook) on a fixed clock in Europe/Berlin; the uploaded markdown is
 * compared byte for byte with test/fixtures/postmortem-impact-story.md. UPDATE_GOLDEN=1 rewrites it.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { expectGolden, startStoryWorld } from '../support/story-world.js';
import { removeTempDirs } from '../support/temp-dir.js';

const GOLDEN = fileURLToPath(new URL('../fixtures/postmortem-impact-story.md', import.meta.url));
const WEBHOOK_SECRET = 'pd-webhook-secret-impact';

afterAll(() => removeTempDirs());

describe('the postmortem of an incident whose impact began before the declaration', () => {
  it('measures duration and time to detect from the impact start, and says where each measure starts', async () => {
    const { at, slack, pd, h, lastUpload, stop } = await startStoryWorld({
      startAt: [15, 21],
      webhookSecret: WEBHOOK_SECRET,
      catalog: (routingKey) => `services:
  - name: checkout
    owner: Storefront
    pagerduty:
      routing_key: ${routingKey}
    paging:
      auto_page: []
`,
    });
    try {
      expect(
        (await h.command('declare sev2 Checkout fails after deploy v43', { user: 'U0ALICE' })).status,
      ).toBe(200);
      await h.idle();
      const channel = (await h.app.deps.store.incidents.get(1))!.channelId!;
      const inChannel = async (user: string, text: string) => {
        const r = await h.command(text, { user, channel });
        expect(r.status, text).toBe(200);
        await h.idle();
        return String(r.json?.text ?? '');
      };

      at(15, 22);
      // a time not yet come, and impact after the declaration, are refused with the right usage
      const future = await inChannel('U0ALICE', 'impact 15:30');
      expect(future).toContain('2026-11-23 15:30 is in the future');
      expect(future).toContain('Usage: `/incident impact <when>`');
      expect(await inChannel('U0ALICE', 'impact -0m')).toContain('after the declaration');
      expect(await inChannel('U0ALICE', 'detected soon')).toContain('"soon" is not a time');
      expect(await h.app.deps.store.incidents.get(1)).toMatchObject({
        impactStartedAt: null,
        detectedAt: null,
      });

      expect(await inChannel('U0ALICE', 'impact 15:10')).not.toMatch(/:warning:/);
      expect(await inChannel('U0BOB', 'detected -10m')).not.toMatch(/:warning:/);
      expect(await inChannel('U0ALICE', 'detected 15:09')).toContain('Impact start 2026-11-23 15:10');
      const confirmation = slack
        .callsTo('chat.postMessage')
        .map((c) => String(c.args.text))
        .find((t) => t.includes('customer impact began'));
      expect(confirmation).toContain('11 min before the declaration');
      expect(JSON.stringify(slack.lastCall('chat.update')?.args.blocks)).toContain('*Impact began*');

      at(15, 23);
      await inChannel('U0ALICE', 'note Deploy v43 went out at 15:08; rolling back');
      await inChannel('U0ALICE', 'page checkout card payments fail');
      at(15, 26);
      const pdIncident = pd.incidentsFor('muster-inc-1-checkout')[0]!;
      const ack = await pd.sendWebhook('incident.acknowledged', pdIncident.id, {
        url: `${h.url}/pagerduty/webhook`,
        secret: WEBHOOK_SECRET,
      });
      expect(ack.status).toBe(202);
      await h.idle();
      at(15, 40);
      await inChannel('U0ALICE', 'status monitoring');
      at(15, 52);
      await inChannel('U0ALICE', 'resolve Rolled back to v42');
      const resolved = slack
        .callsTo('chat.postMessage')
        .map((c) => String(c.args.text))
        .find((t) => t.includes('is resolved by'));
      expect(resolved).toContain('after 42 min of customer impact. Impact began <!date^');
      at(15, 55);
      await inChannel('U0ALICE', 'postmortem');

      expectGolden(GOLDEN, lastUpload());
    } finally {
      await stop();
    }
  });
});
