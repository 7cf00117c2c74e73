/** Health, readiness, metrics, logs and shutdown: what an operator sees. */
import { connect } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { startFakeSlack } from '../fakes/fake-slack.js';
import { type Harness, SIGNING_SECRET, startMuster } from '../support/muster-harness.js';
import { musterProcessEnv, startMusterProcess } from '../support/muster-process.js';
import { startTestSandbox } from '../../packages/sandbox/test/support/sandbox-harness.js';
import { removeTempDirs, tempDir } from '../support/temp-dir.js';

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
    const m = await h.metrics();
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

  it('serves metrics only on METRICS_PORT, on 127.0.0.1 by default, never on the Slack port', async () => {
    h = await startMuster();
    await h.command('declare sev1 checkout down');
    await h.idle();
    expect(h.app.metricsAddress).toMatchObject({ address: '127.0.0.1' });
    expect(h.app.metricsAddress!.port).not.toBe(Number(new URL(h.url).port));
    // the Slack port says nothing of incidents
    const onSlackPort = await h.get('/metrics');
    expect(onSlackPort.status).toBe(404);
    expect(onSlackPort.text).not.toContain('muster_');
    expect(await h.metrics()).toContain('muster_incidents_declared_total{severity="sev1"} 1');
    // the metrics port serves nothing else
    expect((await fetch(`${h.metricsUrl}/healthz`)).status).toBe(404);
    expect((await fetch(`${h.metricsUrl}/slack/events`, { method: 'POST', body: 'x' })).status).toBe(404);
    expect((await fetch(`${h.metricsUrl}/metrics`, { method: 'POST', body: 'x' })).status).toBe(405);
    // scrapes are counted like any request
    expect(await h.metrics()).toMatch(/muster_http_requests_total\{route="metrics",outcome="200"\} [1-9]/);
  });

  it('listens for metrics on METRICS_HOST when set (0.0.0.0 for a scraper in another pod)', async () => {
    h = await startMuster({ env: { METRICS_HOST: '0.0.0.0' } });
    expect(h.app.metricsAddress).toMatchObject({ address: '0.0.0.0' });
    expect(await h.metrics()).toContain('muster_open_incidents 0');
  });

  it('serves no metrics with METRICS_PORT=off', async () => {
    h = await startMuster({ env: { METRICS_PORT: 'off' } });
    expect(h.app.metricsAddress).toBeNull();
    expect(h.metricsUrl).toBeNull();
    expect((await h.get('/metrics')).status).toBe(404);
    expect((await h.command('help')).status).toBe(200);
  });

  it('says where metrics are at start, and stops with one line when METRICS_PORT is taken by another instance', async () => {
    const slack = await startFakeSlack();
    const dir = tempDir();
    const first = await startMusterProcess(musterProcessEnv(slack, join(dir, 'first.db'), dir), dir);
    try {
      const served = /Metrics are served on http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(first.output());
      expect(served).not.toBeNull();
      const port = served![1]!;
      expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain(
        'muster_open_incidents 0',
      );
      expect((await fetch(`${first.url}/metrics`)).status).toBe(404);
      const env = { ...musterProcessEnv(slack, join(dir, 'second.db'), dir), METRICS_PORT: port };
      const second = await startMusterProcess(env, dir).then(
        () => 'started',
        (e: Error) => e.message,
      );
      expect(second).toContain(
        `muster: could not start: METRICS_PORT ${port} is in use on 127.0.0.1 (another Muster? set METRICS_PORT to another port, or off)\n`,
      );
      expect(second).toMatch(/^muster exited \(1\)/);
      expect(second).not.toMatch(/\bat \w/);
      // the second one left nothing listening, and the first one still serves
      expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    } finally {
      first.child.kill('SIGKILL');
      await first.exited;
      await slack.close();
    }
  });

  it('serves metrics on METRICS_PORT in the sandbox too', async () => {
    const s = await startTestSandbox();
    try {
      expect(s.sandbox.app.metricsAddress).toMatchObject({ address: '127.0.0.1' });
      const r = await fetch(`http://127.0.0.1:${s.sandbox.app.metricsAddress!.port}/metrics`);
      expect(await r.text()).toContain('muster_open_incidents 0');
      expect(await (await fetch(`${s.base}/metrics`)).text()).not.toContain('muster_');
    } finally {
      await s.sandbox.stop();
    }
  });

  it('answers 503 with a reason on /readyz when the database does not answer', async () => {
    h = await startMuster();
    h.app.sqlite!.db.$client.close();
    const r = await h.get('/readyz');
    expect(r.status).toBe(503);
    expect(r.json).toEqual({ status: 'not ready', reason: 'the database does not answer' });
    expect((await h.get('/healthz')).status).toBe(200);
  });

  it('refuses bodies over 1 MB with a 413 the client reads, declared or chunked, and keeps serving', async () => {
    h = await startMuster();
    const big = 'x'.repeat(1024 * 1024 + 10);
    const r = await fetch(`${h.url}/slack/events`, { method: 'POST', body: big });
    expect(r.status).toBe(413);
    expect(r.headers.get('connection')).toBe('close');
    expect(await r.json()).toEqual({ error: 'request body over 1048576 bytes' });
    // A client that sends its whole body before it reads the answer: 32 MB (more than the socket buffers
    // hold, so a server that closed at once would reset it) with a declared length, then chunked (no
    // length: the body grows past 1 MB while it is read).
    for (const declared of [true, false]) {
      const answer = await postWhole(h.url, '/slack/events', 32 * 1024 * 1024, declared);
      expect({ declared, answer }).toEqual({
        declared,
        answer: { status: 413, body: '{"error":"request body over 1048576 bytes"}' },
      });
    }
    // a body of exactly 1 MB is read
    const limit = await postWhole(h.url, '/slack/events', 1024 * 1024, true);
    expect(limit.status).toBe(401);
    expect((await h.command('help')).status).toBe(200);
    expect((await h.get('/healthz')).status).toBe(200);
  });

  it('reads at most 64 MB of a refused body, then closes the connection', async () => {
    h = await startMuster();
    // 256 MB sent without reading: the server stops reading past its bound, so this client is cut off
    await expect(postWhole(h.url, '/slack/events', 256 * 1024 * 1024, true)).rejects.toThrow(
      /EPIPE|ECONNRESET/,
    );
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
    expect(h.app.sqlite!.db.$client.open).toBe(false);
    await h.slack.close();
    h = null;
  });
});

/**
 * POSTs `bytes` bytes over a raw connection the way a simple client does: it writes the whole request (64 KB
 * at a time, with a declared length or chunked) before it reads anything, then reads the answer. It resolves
 * with the status and body, or rejects with the error the client saw (EPIPE, ECONNRESET) when the server
 * closed the connection under it.
 */
function postWhole(
  base: string,
  path: string,
  bytes: number,
  declared: boolean,
): Promise<{ status: number; body: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    socket.pause();
    socket.on('error', reject);
    const head =
      `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n` +
      'Content-Type: application/x-www-form-urlencoded\r\n' +
      (declared ? `Content-Length: ${bytes}\r\n\r\n` : 'Transfer-Encoding: chunked\r\n\r\n');
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    const pump = (): void => {
      if (sent === 0 && !socket.write(head)) return void socket.once('drain', pump);
      while (sent < bytes) {
        const part = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
        sent += part.length;
        const frame = declared
          ? part
          : Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')]);
        if (!socket.write(frame)) return void socket.once('drain', pump);
      }
      socket.write(declared ? '' : '0\r\n\r\n', () => {
        // everything is sent: only now read the answer
        let raw = '';
        socket.setEncoding('utf8');
        socket.on('data', (c: string) => (raw += c));
        socket.on('end', () => {
          const [top = '', body = ''] = raw.split('\r\n\r\n');
          resolve({ status: Number(top.split(' ')[1]), body });
        });
        socket.resume();
      });
    };
    pump();
  });
}
