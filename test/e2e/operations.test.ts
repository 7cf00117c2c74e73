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

  it('writes JSON logs with request ids and incident numbers, and never a token or secret', async () => {
    h = await startMuster({ env: { LOG_LEVEL: 'trace' } });
    await h.command('declare sev2 checkout returns 500s');
    await h.command('status', { channel: 'C0GENERAL' });
    await h.post('/slack/events', 'garbage', { 'x-slack-signature': 'v0=deadbeef' });
    h.slack.failNext('chat.postMessage', { error: 'invalid_auth' });
    await h.idle();
    await h.stop();
    const lines = h.logs.records();
    h = null;
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.some((l) => typeof l.requestId === 'string')).toBe(true);
    expect(lines.some((l) => l.incident === 1)).toBe(true);
    const text = lines.map((l) => JSON.stringify(l)).join('\n');
    expect(text).not.toContain(SIGNING_SECRET);
    expect(text).not.toMatch(/xoxb-[A-Za-z0-9-]{5,}/);
  });

  it('finishes in-flight work and closes the database on stop', async () => {
    h = await startMuster();
    await h.command('declare sev3 slow provisioning');
    await h.stop();
    expect(h.slack.callsTo('pins.add')).toHaveLength(1);
    expect(h.app.deps.store.db.$client.open).toBe(false);
    h = null;
  });
});
