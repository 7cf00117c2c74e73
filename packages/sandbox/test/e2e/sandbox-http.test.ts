/**
 * The sandbox's HTTP surface against a hostile web: it answers only requests addressed to this machine (DNS
 * rebinding fails), the page's acts need a header another site cannot send, bodies over 1 MB are refused on
 * every route, response_urls it never minted lead nowhere, and what it keeps is capped, so its memory and its
 * saved workspace stay bounded whatever is posted to it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGERDUTY_BASE_PATH, type Sandbox } from '../../src/index.js';
import { LIVE_CONNECTIONS_CAP } from '../../src/sandbox-page-routes.js';
import { INCIDENTS_CHANNEL_ID } from '../../src/slack-workspace-seed.js';
import { startTestSandbox, type TestSandbox } from '../support/sandbox-harness.js';
import { removeTempDirs } from '../../../../test/support/temp-dir.js';

const MB = 1024 * 1024;
const MARKER = 'posted-by-a-stranger';

let t: TestSandbox;
let s: Sandbox;
let stopped = false;

interface Sent {
  method?: string;
  host?: string;
  headers?: Record<string, string>;
  body?: string;
  /** a body of this many bytes, streamed with backpressure (so this side holds one chunk), declared or chunked */
  stream?: { bytes: number; declared: boolean };
}

/** One request over node:http, which sends the Host header it is given (fetch always names the server). */
function send(path: string, sent: Sent = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (status: number, body = '') => {
      if (!done) resolve({ status, body });
      done = true;
    };
    const headers: Record<string, string> = {
      host: sent.host ?? `127.0.0.1:${s.port}`,
      ...sent.headers,
      ...(sent.stream?.declared ? { 'content-length': String(sent.stream.bytes) } : {}),
    };
    const req = request(
      { host: '127.0.0.1', port: s.port, path, method: sent.method ?? 'GET', headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => finish(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
        res.on('error', () => finish(res.statusCode ?? -1));
      },
    );
    req.on('error', () => finish(-1));
    if (!sent.stream) return void req.end(sent.body);
    const chunk = Buffer.alloc(64 * 1024, MARKER);
    let written = 0;
    const pump = () => {
      while (written < (sent.stream?.bytes ?? 0) && !done) {
        written += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

const ACT_HEADERS = { 'content-type': 'application/json', 'x-muster-sandbox': '1' };
const say = (text: string) =>
  JSON.stringify({ act: 'type', user: 'U0ALICE', channel: INCIDENTS_CHANNEL_ID, text });
const messages = () => s.workspace.messages(INCIDENTS_CHANNEL_ID).map((m) => m.text);

/** The peak resident set of this process, so no transient spike between samples is missed. */
const peak = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;

beforeAll(async () => {
  t = await startTestSandbox();
  s = t.sandbox;
});

afterAll(async () => {
  if (!stopped) await s.stop();
  removeTempDirs();
});

describe('local means local', () => {
  const routes: [string, string][] = [
    ['GET', '/'],
    ['GET', '/sandbox/state?user=U0ALICE'],
    ['GET', '/sandbox/events'],
    ['POST', '/sandbox/act'],
    ['POST', '/api/auth.test'],
    ['POST', '/response/anything'],
    ['POST', '/upload/v1/anything'],
    ['GET', `${PAGERDUTY_BASE_PATH}/oncalls`],
    ['POST', '/slack/events'],
    ['POST', '/pagerduty/webhook'],
    ['GET', '/healthz'],
    ['GET', '/no-such-page'],
  ];

  it.each(routes)(
    'refuses %s %s addressed to any other name (DNS rebinding) with 421',
    async (method, path) => {
      for (const host of [
        `evil.example:${s.port}`,
        'evil.example',
        `127.0.0.1.evil.example:${s.port}`,
        'localhost.evil.example',
      ]) {
        const body = method === 'POST' ? say('rebound') : undefined;
        const got = await send(path, { method, host, headers: ACT_HEADERS, body });
        expect({ host, status: got.status }).toEqual({ host, status: 421 });
        expect(JSON.parse(got.body)).toMatchObject({ ok: false, error: 'misdirected_request' });
        expect(got.body).toContain('localhost, 127.0.0.1, [::1]');
      }
      expect(messages()).not.toContain('rebound');
    },
  );

  it('answers localhost, 127.0.0.1 and [::1], with any port', async () => {
    for (const host of [
      `localhost:${s.port}`,
      'LOCALHOST',
      `127.0.0.1:${s.port}`,
      '[::1]',
      `[::1]:${s.port}`,
    ]) {
      expect({ host, status: (await send('/healthz', { host })).status }).toEqual({ host, status: 200 });
    }
    expect((await send('/', { host: `localhost:${s.port}` })).body).toContain('Muster sandbox');
  });
});

describe("no cross-site driving: the page's acts", () => {
  it('are taken only as JSON with the sandbox header, which another site cannot send', async () => {
    const form = await send('/sandbox/act', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'act=type&user=U0ALICE&channel=C0INCIDENTS&text=from+a+form',
    });
    expect(form.status).toBe(415);
    const plain = await send('/sandbox/act', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-muster-sandbox': '1' },
      body: say('as text/plain'),
    });
    expect(plain.status).toBe(415);
    // what a `no-cors` fetch can send: JSON, but no custom header
    const noHeader = await send('/sandbox/act', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: say('without the header'),
    });
    expect(noHeader.status).toBe(403);
    expect(JSON.parse(noHeader.body)).toMatchObject({ ok: false });
    const wrong = await send('/sandbox/act', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-muster-sandbox': 'yes' },
      body: say('with another value'),
    });
    expect(wrong.status).toBe(403);
    const ok = await send('/sandbox/act', {
      method: 'POST',
      headers: ACT_HEADERS,
      body: say('from the page'),
    });
    expect({ status: ok.status, body: JSON.parse(ok.body) }).toEqual({ status: 200, body: { ok: true } });
    await s.idle();
    expect(messages()).toContain('from the page');
    expect(messages().filter((m) => /form|text\/plain|header|another value/.test(m))).toEqual([]);
  });

  it('never grant a CORS preflight', async () => {
    const preflight = await send('/sandbox/act', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-muster-sandbox',
      },
    });
    expect(preflight.status).toBeGreaterThanOrEqual(400);
    expect(preflight.body).not.toMatch(/access-control/i);
  });
});

describe('bounded', () => {
  it('refuses bodies over 1 MB with 413 on every sandbox route, declared or chunked', async () => {
    const issued = new URL(s.workspace.responseUrl({ channel: INCIDENTS_CHANNEL_ID, user: 'U0ALICE' }))
      .pathname;
    const file = s.workspace.reserveFile({ filename: 'big.md', length: 2 * MB }, s.workspace.botUserId);
    const upload = new URL(s.workspace.uploadUrl(file.id)).pathname;
    const routes: [string, Record<string, string>][] = [
      ['/sandbox/act', ACT_HEADERS],
      [
        '/api/chat.postMessage',
        { authorization: `Bearer ${s.workspace.token}`, 'content-type': 'application/json' },
      ],
      [upload, { 'content-type': 'application/octet-stream' }],
      [issued, { 'content-type': 'application/json' }],
      [`${PAGERDUTY_BASE_PATH}/v2/enqueue`, { 'content-type': 'application/json' }],
      [`${PAGERDUTY_BASE_PATH}/incidents`, { 'content-type': 'application/json' }],
      ['/slack/events', { 'content-type': 'application/json' }],
    ];
    for (const [path, headers] of routes) {
      for (const declared of [true, false]) {
        const got = await send(path, { method: 'POST', headers, stream: { bytes: 3 * MB, declared } });
        expect({ path, declared, status: got.status }).toEqual({ path, declared, status: 413 });
      }
    }
    expect(s.workspace.fileContent(file.id)).toBeNull();
    expect(s.workspace.responses().filter((r) => r.id === issued.split('/').pop())).toEqual([]);
    expect((await send('/healthz')).status).toBe(200);
  });

  it('answers 404 to response_urls it never minted, and keeps nothing of them', async () => {
    const before = s.workspace.responses().length;
    for (const id of ['R0000001', 'guessed', 'a'.repeat(40)]) {
      const got = await send(`/response/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'in_channel', text: MARKER }),
      });
      expect({ id, status: got.status }).toEqual({ id, status: 404 });
    }
    expect(s.workspace.responses()).toHaveLength(before);
    await s.idle();
    expect(messages().filter((m) => m.includes(MARKER))).toEqual([]);
  });

  it('keeps its memory bounded while 20 MB bodies are posted to every route', async () => {
    const issued = () => new URL(s.workspace.responseUrl({ channel: INCIDENTS_CHANNEL_ID })).pathname;
    const before = peak();
    const paths = [
      issued(),
      issued(),
      issued(),
      '/response/never-minted',
      '/sandbox/act',
      '/api/chat.postMessage',
    ];
    const statuses: number[] = [];
    for (const [i, path] of paths.entries()) {
      const headers = { ...ACT_HEADERS, authorization: `Bearer ${s.workspace.token}` };
      statuses.push(
        (await send(path, { method: 'POST', headers, stream: { bytes: 20 * MB, declared: i % 2 === 0 } }))
          .status,
      );
    }
    // 120 MB were posted: the process holds at most the 1 MB limit of each request in flight, plus garbage not
    // yet collected, never the bodies themselves (three such posts once took it from 141 to 689 MB)
    expect(statuses).toEqual([413, 413, 413, 404, 413, 413]);
    expect(peak() - before).toBeLessThan(60 * MB);
    expect((await send('/healthz')).status).toBe(200);
  });

  it(`keeps at most ${LIVE_CONNECTIONS_CAP} live-update connections, ending the oldest`, async () => {
    const controllers: AbortController[] = [];
    const ended: boolean[] = [];
    const readers: Response[] = [];
    // opened one after the other, so "oldest" is well defined
    for (let i = 0; i < LIVE_CONNECTIONS_CAP + 3; i += 1) {
      const controller = new AbortController();
      controllers.push(controller);
      readers.push(await fetch(`${t.base}/sandbox/events`, { signal: controller.signal }));
    }
    const watching = readers.map(async (res, i) => {
      const reader = res.body!.getReader();
      try {
        for (;;) if ((await reader.read()).done) break;
        ended[i] = true;
      } catch {
        ended[i] = false;
      }
    });
    await Promise.all(watching.slice(0, 3));
    expect(ended.slice(0, 3)).toEqual([true, true, true]);
    s.people.say('U0BOB', INCIDENTS_CHANNEL_ID, 'still live');
    await s.idle();
    expect(ended.slice(3).filter(Boolean)).toEqual([]);
    for (const c of controllers) c.abort();
    await Promise.all(watching);
  });

  it('saves nothing a stranger posted into its database', async () => {
    await s.stop();
    stopped = true;
    const files = readdirSync(t.dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const bytes = readFileSync(join(f.parentPath, f.name));
      expect({ file: f.name, found: bytes.includes(MARKER) }).toEqual({ file: f.name, found: false });
    }
  });
});
