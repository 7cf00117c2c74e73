import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackApiHandler, RECORDED_CALLS_CAP, type SlackApiHandler } from '../src/slack-api-server.js';
import { SlackWorkspace } from '../src/slack-workspace.js';
import { type FakeSlack, startFakeSlack } from '../../../test/fakes/fake-slack.js';

let fake: FakeSlack;
let client: WebClient;

beforeEach(async () => {
  fake = await startFakeSlack();
  client = new WebClient(fake.token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
});
afterEach(() => fake.close());

type CaughtError = { code?: string; data?: { error?: string }; retryAfter?: number; statusCode?: number };
const caught = (call: Promise<unknown>): Promise<CaughtError> =>
  call.then(
    () => ({}),
    (e: unknown) => e as CaughtError,
  );

async function post(method: string, body: string, headers: Record<string, string>): Promise<unknown> {
  const res = await fetch(`${fake.apiUrl}${method}`, { method: 'POST', headers, body });
  return res.json();
}

describe('authentication and wire formats', () => {
  it('answers not_authed without a token and invalid_auth with a wrong one', async () => {
    const anonymous = new WebClient(undefined, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    expect((await caught(anonymous.auth.test())).data?.error).toBe('not_authed');
    const stranger = new WebClient('xoxb-wrong', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    expect((await caught(stranger.auth.test())).data?.error).toBe('invalid_auth');
  });

  it('takes the token as a form field, and JSON bodies with a bearer header only', async () => {
    const form = 'application/x-www-form-urlencoded';
    expect(await post('auth.test', `token=${fake.token}`, { 'content-type': form })).toMatchObject({
      ok: true,
    });
    const json = { 'content-type': 'application/json; charset=utf-8' };
    const body = JSON.stringify({ channel: 'C0INCIDENTS', text: 'hello', blocks: [{ type: 'divider' }] });
    expect(
      await post('chat.postMessage', body, { ...json, authorization: `Bearer ${fake.token}` }),
    ).toMatchObject({
      ok: true,
      message: { text: 'hello', blocks: [{ type: 'divider', block_id: expect.any(String) }] },
    });
    const tokenInJson = JSON.stringify({ token: fake.token, channel: 'C0INCIDENTS', text: 'x' });
    expect(await post('chat.postMessage', tokenInJson, json)).toEqual({ ok: false, error: 'not_authed' });
    expect(await post('auth.test', '{"broken', { ...json, authorization: `Bearer ${fake.token}` })).toEqual({
      ok: false,
      error: 'invalid_json',
    });
  });

  it('answers unknown_method for methods it does not implement', async () => {
    expect((await caught(client.apiCall('chat.meMessage', { channel: 'C0INCIDENTS' }))).data?.error).toBe(
      'unknown_method',
    );
  });

  it('records every call with parsed arguments, without the token', async () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hi*' } }];
    await client.chat.postMessage({ channel: 'C0INCIDENTS', text: 'hi', blocks });
    await caught(client.chat.postMessage({ channel: 'C0NOPE', text: 'lost' }));
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
    const first = fake.calls[0];
    expect(first).toMatchObject({
      method: 'chat.postMessage',
      args: { channel: 'C0INCIDENTS', text: 'hi', blocks },
    });
    expect(first?.args).not.toHaveProperty('token');
    expect(fake.lastCall('chat.postMessage')?.args['channel']).toBe('C0NOPE');
    expect(fake.lastCall('views.open')).toBeUndefined();
  });

  it('stamps calls with the injected clock', async () => {
    await fake.close();
    let now = 1_000;
    fake = await startFakeSlack({ callClock: () => now });
    client = new WebClient(fake.token, { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } });
    await client.auth.test();
    now = 5_000;
    await client.auth.test();
    expect(fake.calls.map((c) => c.at)).toEqual([1_000, 5_000]);
  });

  it('leaves paths that are not its own to the next handler', async () => {
    const handler = createSlackApiHandler(new SlackWorkspace());
    const server = createServer((req, res) => {
      if (!handler(req, res)) res.writeHead(418).end('mine');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(418);
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('failure injection', () => {
  it('answers ratelimited with HTTP 429 and Retry-After, then serves the next call', async () => {
    fake.failNext('conversations.create', { error: 'ratelimited', retryAfter: 2 });
    const rejecting = new WebClient(fake.token, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
    const error = await caught(rejecting.conversations.create({ name: 'inc-1-x' }));
    expect(error).toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 2 });
    expect((await rejecting.conversations.create({ name: 'inc-1-x' })).ok).toBe(true);

    fake.failNext('auth.test', { error: 'ratelimited', retryAfter: 3 });
    const raw = await fetch(`${fake.apiUrl}auth.test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.token}` },
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('3');
    expect(await raw.json()).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('lets WebClient wait out Retry-After: the retry arrives no earlier than it allows', async () => {
    fake.failNext('chat.postMessage', { error: 'ratelimited', retryAfter: 1 });
    const patient = new WebClient(fake.token, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 },
    });
    await patient.chat.postMessage({ channel: 'C0INCIDENTS', text: 'after the limit' });
    const [limited, retried] = fake.callsTo('chat.postMessage');
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it('answers HTTP 500 when asked, and Slack errors with HTTP 200, for `times` calls', async () => {
    fake.failNext('chat.postMessage', { status: 500 });
    const error = await caught(client.chat.postMessage({ channel: 'C0INCIDENTS', text: 'x' }));
    expect(error).toMatchObject({ code: 'slack_webapi_http_error', statusCode: 500 });

    fake.failNext('conversations.create', { error: 'name_taken', times: 2 });
    for (let i = 0; i < 2; i++) {
      expect((await caught(client.conversations.create({ name: 'inc-1-x' }))).data?.error).toBe('name_taken');
    }
    expect((await client.conversations.create({ name: 'inc-1-x' })).ok).toBe(true);
  });

  it('fails every call until cleared, for one method or all', async () => {
    fake.failAlways('chat.postMessage', { error: 'channel_not_found' });
    for (let i = 0; i < 3; i++) {
      expect((await caught(client.chat.postMessage({ channel: 'C0INCIDENTS', text: 'x' }))).data?.error).toBe(
        'channel_not_found',
      );
    }
    expect((await client.auth.test()).ok).toBe(true);
    fake.failAlways('*', { error: 'fatal_error' });
    expect((await caught(client.auth.test())).data?.error).toBe('fatal_error');
    fake.clearFailures();
    expect((await client.chat.postMessage({ channel: 'C0INCIDENTS', text: 'x' })).ok).toBe(true);
  });
});

describe('the files upload v2 flow', () => {
  it('uploads through filesUploadV2 and shares the file in the channel', async () => {
    const markdown = '# INC-7 postmortem\n\nWhat happened, blamelessly.\n';
    const res = await client.files.uploadV2({
      channel_id: 'C0INCIDENTS',
      filename: 'postmortem-INC-7.md',
      title: 'Postmortem INC-7',
      content: markdown,
      initial_comment: 'The postmortem draft',
    });
    expect(fake.calls.map((c) => c.method)).toEqual([
      'files.getUploadURLExternal',
      'files.completeUploadExternal',
    ]);
    const complete = fake.lastCall('files.completeUploadExternal');
    expect(complete?.args).toMatchObject({
      channel_id: 'C0INCIDENTS',
      initial_comment: 'The postmortem draft',
    });
    expect(complete?.args['files']).toEqual([{ id: expect.stringMatching(/^F/), title: 'Postmortem INC-7' }]);

    const files = ((res as { files?: { files: Record<string, unknown>[] }[] }).files ?? [])[0]?.files ?? [];
    expect(files[0]).toMatchObject({
      name: 'postmortem-INC-7.md',
      title: 'Postmortem INC-7',
      mimetype: 'text/markdown',
    });
    const download = await fetch(files[0]?.['url_private_download'] as string);
    expect(download.headers.get('content-disposition')).toContain('postmortem-INC-7.md');
    expect(await download.text()).toBe(markdown);

    const shared = fake.workspace.messages('C0INCIDENTS').at(-1);
    expect(shared).toMatchObject({
      text: 'The postmortem draft',
      user: 'U0MUSTERBOT',
      files: [files[0]?.['id']],
    });
    const permalink = await client.chat.getPermalink({
      channel: 'C0INCIDENTS',
      message_ts: shared?.ts as string,
    });
    expect(files[0]?.['permalink']).toBe(permalink.permalink);
  });

  it('takes raw bytes at the upload URL, and completes a file only once', async () => {
    const { upload_url, file_id } = await client.files.getUploadURLExternal({
      filename: 'notes.txt',
      length: 5,
    });
    const upload = await fetch(upload_url as string, { method: 'POST', body: 'hello' });
    expect(upload.status).toBe(200);
    expect(fake.workspace.fileContent(file_id as string)?.toString()).toBe('hello');
    await client.files.completeUploadExternal({ files: [{ id: file_id as string }] });
    const again = await caught(client.files.completeUploadExternal({ files: [{ id: file_id as string }] }));
    expect(again.data?.error).toBe('file_not_found');
  });

  it('answers invalid_arguments, file_not_found and not_in_channel', async () => {
    const noLength = client.apiCall('files.getUploadURLExternal', { filename: 'x.md' });
    expect((await caught(noLength)).data?.error).toBe('invalid_arguments');
    const unknown = client.files.completeUploadExternal({ files: [{ id: 'F0NOPE' }] });
    expect((await caught(unknown)).data?.error).toBe('file_not_found');
    const { upload_url, file_id } = await client.files.getUploadURLExternal({ filename: 'x.md', length: 1 });
    const notUploaded = client.files.completeUploadExternal({ files: [{ id: file_id as string }] });
    expect((await caught(notUploaded)).data?.error).toBe('file_not_found');
    await fetch(upload_url as string, { method: 'POST', body: 'x' });
    const outside = client.files.completeUploadExternal({
      files: [{ id: file_id as string }],
      channel_id: 'C0GENERAL',
    });
    expect((await caught(outside)).data?.error).toBe('not_in_channel');
  });
});

describe('response_url', () => {
  it('records posts and answers ok', async () => {
    const url = fake.responseUrl();
    const res = await fetch(url, { method: 'POST', body: JSON.stringify({ text: 'Declared INC-1' }) });
    expect(await res.text()).toBe('ok');
    expect(fake.responses).toMatchObject([{ body: { text: 'Declared INC-1' }, context: {} }]);
  });

  it('shows a reply as Slack would: ephemeral by default, in_channel, or replacing the original', async () => {
    const where = { channel: 'C0INCIDENTS', user: 'U0ALICE' };
    await fetch(fake.responseUrl(where), {
      method: 'POST',
      body: JSON.stringify({ text: 'Only for Alice' }),
    });
    expect(fake.workspace.ephemerals({ user: 'U0ALICE' })).toMatchObject([
      { text: 'Only for Alice', via: 'response_url' },
    ]);
    const inChannel = JSON.stringify({ response_type: 'in_channel', text: 'For everyone' });
    await fetch(fake.responseUrl(where), { method: 'POST', body: inChannel });
    const posted = fake.workspace.messages('C0INCIDENTS').at(-1);
    expect(posted).toMatchObject({ text: 'For everyone', user: 'U0MUSTERBOT' });
    const replace = JSON.stringify({ replace_original: true, text: 'Done' });
    await fetch(fake.responseUrl({ ...where, messageTs: posted?.ts }), { method: 'POST', body: replace });
    expect(fake.workspace.message('C0INCIDENTS', posted?.ts as string)?.text).toBe('Done');
  });
});

describe('the bounds of the sandbox handler (its defaults, unlike the tests fake)', () => {
  const MB = 1024 * 1024;
  let ws: SlackWorkspace;
  let handler: SlackApiHandler;
  let base: string;
  let close: () => Promise<void>;

  beforeEach(async () => {
    ws = new SlackWorkspace();
    handler = createSlackApiHandler(ws, { onError: (e) => expect.fail(String(e)) });
    const server = createServer((req, res) => {
      if (!handler(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    ws.baseUrl = base;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterEach(() => close());

  /** A body of `bytes`, sent chunked (no declared length) so only the bytes read can refuse it. */
  const chunked = (bytes: number) =>
    new ReadableStream<Uint8Array>({
      start(c) {
        for (let sent = 0; sent < bytes; sent += 256 * 1024) c.enqueue(new Uint8Array(256 * 1024).fill(120));
        c.close();
      },
    });
  const send = (path: string, body: RequestInit['body'], headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);

  it('refuses bodies over 1 MB with 413 on the Web API, upload URLs and response_urls, and keeps none of them', async () => {
    const auth = { authorization: `Bearer ${ws.token}`, 'content-type': 'application/json' };
    const big = `{"channel":"C0INCIDENTS","text":"${'x'.repeat(MB)}"}`;
    expect((await send('/api/chat.postMessage', big, auth)).status).toBe(413);
    expect((await send('/api/chat.postMessage', chunked(2 * MB), auth)).status).toBe(413);
    const file = ws.reserveFile({ filename: 'big.md', length: 2 * MB }, ws.botUserId);
    const uploadPath = new URL(ws.uploadUrl(file.id)).pathname;
    expect((await send(uploadPath, Buffer.alloc(MB + 1, 'x'))).status).toBe(413);
    expect((await send(uploadPath, chunked(2 * MB))).status).toBe(413);
    const responsePath = new URL(ws.responseUrl({ channel: 'C0INCIDENTS', user: 'U0ALICE' })).pathname;
    const hugeReply = JSON.stringify({ text: 'x'.repeat(MB) });
    const refused = await send(responsePath, hugeReply, { 'content-type': 'application/json' });
    expect(refused.status).toBe(413);
    expect(await refused.json()).toEqual({ ok: false, error: 'request_too_large', limit_bytes: MB });
    expect(handler.calls).toEqual([]);
    expect(ws.fileContent(file.id)).toBeNull();
    expect(ws.responses()).toEqual([]);
    expect(ws.ephemerals()).toEqual([]);
    // a body of exactly 1 MB is still taken
    const exact = Buffer.alloc(MB, 'y');
    expect((await send(uploadPath, exact)).status).toBe(200);
    expect(ws.fileContent(file.id)?.length).toBe(MB);
  });

  it('answers 404 to a response_url it never minted, and records nothing', async () => {
    const minted = new URL(ws.responseUrl()).pathname.slice('/response/'.length);
    expect(minted).toMatch(/^[A-Za-z0-9]{40}$/);
    const oneOff = `${minted.slice(0, -1)}${minted.endsWith('0') ? '1' : '0'}`;
    for (const id of ['R00000001', 'abc', oneOff, 'x'.repeat(40)]) {
      const res = await send(`/response/${id}`, JSON.stringify({ text: 'guessed' }));
      expect({ id, status: res.status }).toEqual({ id, status: 404 });
    }
    expect((await send(`/response/${'z'.repeat(40)}`, chunked(20 * MB))).status).toBe(404);
    expect(ws.responses()).toEqual([]);
    expect((await send(`/response/${minted}`, JSON.stringify({ text: 'mine' }))).status).toBe(200);
    expect(ws.responses()).toMatchObject([{ id: minted, body: { text: 'mine' } }]);
  });

  it('hands out unguessable upload URLs, each taken once', async () => {
    const file = ws.reserveFile({ filename: 'notes.txt', length: 2 }, ws.botUserId);
    const url = ws.uploadUrl(file.id);
    expect(url).toMatch(/\/upload\/v1\/[0-9a-f]{32}$/);
    expect((await send(`/upload/v1/${file.id}`, 'hi')).status).toBe(404);
    expect((await send(new URL(url).pathname, 'hi')).status).toBe(200);
    expect((await send(new URL(url).pathname, 'again')).status).toBe(404);
    expect(ws.fileContent(file.id)?.toString()).toBe('hi');
  });

  it('serves uploaded files as attachments that a browser never sniffs or runs', async () => {
    const client = new WebClient(ws.token, { slackApiUrl: `${base}/api/`, retryConfig: { retries: 0 } });
    const cases: [string, string][] = [
      ['page.html', 'application/octet-stream'],
      ['drawing.svg', 'application/octet-stream'],
      ['script.js', 'application/octet-stream'],
      ['notes.md', 'text/markdown; charset=utf-8'],
      ['data.json', 'application/json; charset=utf-8'],
      ['chart.png', 'image/png'],
    ];
    for (const [filename, type] of cases) {
      const up = await client.files.uploadV2({
        channel_id: 'C0INCIDENTS',
        filename,
        content: '<script>alert(document.domain)</script>',
      });
      const f = ((up as { files?: { files: Record<string, string>[] }[] }).files ?? [])[0]?.files[0];
      for (const link of [f?.['url_private'], f?.['url_private_download']]) {
        const res = await fetch(link as string);
        expect({ filename, type: res.headers.get('content-type') }).toEqual({ filename, type });
        expect(res.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${filename}`);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        await res.arrayBuffer();
      }
    }
  });

  it(`keeps the latest ${RECORDED_CALLS_CAP} calls, dropping the oldest`, async () => {
    const auth = { authorization: `Bearer ${ws.token}`, 'content-type': 'application/json' };
    const call = (n: string) => send('/api/auth.test', JSON.stringify({ n }), auth).then((r) => r.json());
    for (let i = 0; i < 5; i += 1) await call(`old ${i}`);
    for (let i = 0; i < RECORDED_CALLS_CAP; i += 100)
      await Promise.all(Array.from({ length: 100 }, (_, k) => call(`new ${i + k}`)));
    expect(handler.calls).toHaveLength(RECORDED_CALLS_CAP);
    expect(handler.calls.filter((c) => String(c.args['n']).startsWith('old'))).toEqual([]);
    await call('newest');
    expect(handler.calls).toHaveLength(RECORDED_CALLS_CAP);
    expect(handler.calls.at(-1)?.args['n']).toBe('newest');
  });
});
