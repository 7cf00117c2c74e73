/** Health, readiness, metrics, logs and shutdown: what an operator sees. */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type Harness, SIGNING_SECRET, startMuster } from '../support/muster-harness.js';
import { removeTempDirs } from '../support/temp-dir.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop().catch(() => {});
  h = null;
});
afterAll(() => removeTempDirs());

describe('operations', () => {
  it('serves health, readiness and metrics', async () => {
    h = await startMuster();
    expect((await h.get('/healthz')).json).toEqual({ status: 'ok' });
    expect((await h.get('/readyz')).json).toEqual({ status: 'ready' });
    await h.command('declare sev1 checkout down');
    await h.command('frobnicate');
    h.slack.failNext('pins.add', { error: 'not_pinnable' });
    await h.idle();
    const m = (await h.get('/metrics')).text;
    expect(m).toContain('muster_incidents_declared_total{severity="sev1"} 1');
    expect(m).toMatch(/muster_commands_total\{command="declare",outcome="ok"\} 1/);
    expect(m).toMatch(/muster_commands_total\{command="unknown",outcome="command.unknown"\} 1/);
    expect(m).toMatch(/muster_command_ack_seconds_bucket\{le="[^"]+",command="declare"\}/);
    expect(m).toMatch(/muster_http_requests_total\{route="slack_events",outcome="200"\} 2/);
    expect(m).toMatch(/muster_http_request_duration_seconds_bucket/);
    expect(m).toContain('muster_slack_api_errors_total{method="pins.add",error="not_pinnable"} 1');
    expect(m).toContain('muster_open_incidents 1');
    expect(m).toContain('muster_process_resident_memory_bytes');
    expect((await h.get('/nope')).status).toBe(404);
  });

  it('answers 503 with a reason on /readyz when the database does not answer', async () => {
    h = await startMuster();
    h.app.deps.store.db.$client.close();
    const r = await h.get('/readyz');
    expect(r.status).toBe(503);
    expect(r.json).toEqual({ status: 'not ready', reason: 'the database does not answer' });
    expect((await h.get('/healthz')).status).toBe(200);
  });

  it('refuses bodies over 1 MB with 413 and keeps serving', async () => {
    h = await startMuster();
    const big = 'x'.repeat(1024 * 1024 + 10);
    const r = await fetch(`${h.url}/slack/events`, { method: 'POST', body: big }).catch(() => null);
    if (r) expect(r.status).toBe(413);
    expect((await h.command('help')).status).toBe(200);
  });

  it('logs a whole run as JSON, errors included, with request ids and incident numbers, and never a token, secret or signature', async () => {
    const secrets = {
      PAGERDUTY_API_TOKEN: 'pd-api-token-u+3kRz9Q',
      PAGERDUTY_WEBHOOK_SECRET: 'pd-webhook-secret-7Hq2',
    };
    h = await startMuster({ env: { LOG_LEVEL: 'trace', ...secrets } });
    const botToken = h.slack.token;
    // Slack fails during provisioning: a 500 on the channel's first attempt, a refused pin.
    h.slack.failNext('conversations.create', { status: 500, times: 4 });
    await h.command('declare sev2 checkout returns 500s');
    await h.idle();
    h.slack.failNext('pins.add', { error: 'invalid_auth' });
    await h.command('declare sev3 search is slow');
    await h.command('status', { channel: 'C0GENERAL' });
    const forged = 'v0=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
    expect(
      (await h.post('/slack/events', 'command=%2Fincident&text=help', { 'x-slack-signature': forged }))
        .status,
    ).toBe(401);
    expect((await h.post('/slack/events', '{"type":', { 'content-type': 'application/json' })).status).toBe(
      400,
    );
    const pdForged = 'v1=fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210';
    expect(
      (
        await h.post('/pagerduty/webhook', '{"event":{}}', {
          'x-pagerduty-signature': pdForged,
          'content-type': 'application/json',
        })
      ).status,
    ).toBe(403);
    await h.idle();
    await h.stop();
    const lines = h.logs.records();
    h = null;

    expect(lines.some((l) => l.msg === 'Muster is listening')).toBe(true);
    expect(lines.at(-1)!.msg).toBe('Muster stopped');
    expect(lines.every((l) => typeof l.level === 'string' && typeof l.time === 'string')).toBe(true);
    expect(lines.some((l) => typeof l.requestId === 'string')).toBe(true);
    expect(lines.some((l) => l.incident === 1)).toBe(true);
    expect(
      lines.some(
        (l) => l.level === 'error' && l.incident === 1 && l.msg === 'could not create the incident channel',
      ),
    ).toBe(true);
    expect(
      lines.some((l) => l.level === 'warn' && String(l.msg).includes('missing, stale or wrong signature')),
    ).toBe(true);
    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    for (const secret of [botToken, SIGNING_SECRET, forged, pdForged, ...Object.values(secrets)]) {
      expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
    }
    expect(text).not.toMatch(/xoxb-[A-Za-z0-9-]{5,}/);
  });

  it('stops accepting at once on stop, finishes the work in flight and closes the database', async () => {
    h = await startMuster();
    // Slack makes the channel wait a second: the provisioning is in flight when stop begins.
    h.slack.failNext('conversations.create', { error: 'ratelimited', retryAfter: 1 });
    expect((await h.command('declare sev3 slow provisioning')).status).toBe(200);
    const stopping = h.app.stop();
    const during = await fetch(`${h.url}/healthz`).then(
      (r) => r.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(during);
    await stopping;
    expect(h.slack.callsTo('conversations.create').map((c) => c.failedWith ?? 200)).toEqual([429, 200]);
    expect(h.slack.callsTo('pins.add')).toHaveLength(1);
    expect(h.app.deps.store.db.$client.open).toBe(false);
    await h.slack.close();
    h = null;
  });
});
