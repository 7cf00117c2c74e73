/**
 * A request signed by Slack whose body is no slash command, interaction or event is refused with 400 at
 * once: before, it reached Bolt, which found no listener and never acknowledged it, so it hung until the
 * 2.5 s ack deadline, was answered 200 and logged as an error.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type Harness, startMuster } from '../support/muster-harness.js';
import { removeTempDirs } from '../support/temp-dir.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop().catch(() => {});
  h = null;
});
afterAll(() => removeTempDirs());

const json = { 'content-type': 'application/json' };
const payload = (p: unknown) => `payload=${encodeURIComponent(JSON.stringify(p))}`;

describe('signed requests of no known kind', () => {
  it.each([
    ['a form of unknown fields', 'foo=bar&hello=world', {}],
    ['a JSON object of unknown fields', '{"hello":1}', json],
    ['a JSON object with an unknown type', '{"type":"something_new","token":"t"}', json],
    ['an event without its envelope', '{"event":{"type":"message","text":"hello"}}', json],
    ['an interaction of an unknown type', payload({ type: 'something_new', user: { id: 'U0ALICE' } }), {}],
    ['block_actions without actions', payload({ type: 'block_actions', user: { id: 'U0ALICE' } }), {}],
  ])(
    'answers 400 at once to %s, logs a warning without the body, and keeps serving',
    async (_what, body, headers) => {
      h = await startMuster();
      const r = await h.post('/slack/events', body, headers);
      expect(r).toMatchObject({ status: 400, json: { error: 'not a slash command, interaction or event' } });
      expect((await h.command('help')).status).toBe(200);
      expect((await h.get('/healthz')).status).toBe(200);
      await h.idle();
      const records = h.logs.records();
      const warned = records.filter(
        (l) =>
          l.msg ===
          'refused a signed Slack request that is neither a slash command, an interaction nor an event',
      );
      expect(warned).toHaveLength(1);
      expect(warned[0]).toMatchObject({
        level: 'warn',
        reason: 'unknown kind',
        bytes: Buffer.byteLength(body),
      });
      expect(JSON.stringify(warned[0])).not.toMatch(/hello|foo|something_new/);
      // The 2.5 s path was never taken: Bolt's missing ack is logged as an error when it is.
      expect(records.filter((l) => l.level === 'error')).toEqual([]);
      expect(h.logs.text).not.toContain('did not acknowledge in time');
      expect(h.logs.text).not.toContain('Could not determine the type of an incoming event');
    },
  );

  it('still serves the kinds it knows: commands, url_verification, ssl_check, and app_rate_limited', async () => {
    h = await startMuster();
    expect(
      (await h.post('/slack/events', '{"type":"url_verification","challenge":"c-123"}', json)).json,
    ).toEqual({
      challenge: 'c-123',
    });
    expect((await h.post('/slack/events', 'ssl_check=1&token=t')).status).toBe(200);
    const limited = await h.post(
      '/slack/events',
      '{"token":"t","type":"app_rate_limited","team_id":"T0MUSTER","minute_rate_limited":1518467820,"api_app_id":"A0MUSTER"}',
      json,
    );
    expect(limited).toMatchObject({ status: 200, json: {} });
    expect(
      h.logs
        .records()
        .some((l) => l.level === 'warn' && l.msg === 'Slack is rate-limiting the events it sends to Muster'),
    ).toBe(true);
    expect((await h.command('help')).status).toBe(200);
    await h.idle();
    expect(h.logs.text).not.toContain('did not acknowledge in time');
  });
});
