/**
 * Socket Mode (SLACK_APP_TOKEN set): Muster opens its connection through `apps.connections.open` at
 * SLACK_API_URL, and slash commands, Events API deliveries and their retries arrive over the WebSocket
 * and take the same durable path as over HTTP. Health is still served on PORT, metrics on METRICS_PORT.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFakeSlack } from '../fakes/fake-slack.js';
import { musterCommand } from '../support/muster-process.js';
import { type Harness, SIGNING_SECRET, startMuster } from '../support/muster-harness.js';
import { APP_TOKEN, eventCallback, slashCommand } from '../support/socket-envelopes.js';
import { removeTempDirs, tempDir } from '../support/temp-dir.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop().catch(() => {});
  h = null;
});
afterAll(() => removeTempDirs());

describe('Socket Mode', () => {
  it('connects with the app-level token, declares over the socket, stores events once, and disconnects on stop', async () => {
    h = await startMuster({ env: { SLACK_APP_TOKEN: APP_TOKEN, LOG_LEVEL: 'trace' } });
    const socket = h.slack.socketMode;
    await socket.connected();
    expect(socket.opens).toEqual([APP_TOKEN]);
    expect(h.logs.records().some((l) => l.msg === 'Muster is listening' && l.mode === 'socket')).toBe(true);

    const help = await socket.send('slash_commands', slashCommand(h, 'help'));
    expect(String(help.payload?.text)).toContain('/incident declare [sev1-4] [--private] <title>');

    const declared = await socket.send(
      'slash_commands',
      slashCommand(h, 'declare sev2 checkout returns 500s'),
    );
    expect(declared.payload?.response_type).toBe('ephemeral');
    expect(String(declared.payload?.text)).toContain('INC-1: checkout returns 500s');
    await h.idle();
    const channel = h.slack.workspace.channel('inc-1-checkout-returns-500s')!;
    expect(channel).toBeTruthy();
    expect(h.slack.callsTo('pins.add')).toHaveLength(1);

    const outside = await socket.send('slash_commands', slashCommand(h, 'note hello'));
    expect(String(outside.payload?.text)).toMatch(/acts on an incident: run it in the incident's channel/);

    // A reaction, then Slack's retry of the same delivery: one timeline entry.
    const ws = h.slack.workspace;
    ws.userJoinChannel({ user: 'U0BOB', channel: channel.id });
    const message = ws.userPostMessage({
      user: 'U0BOB',
      channel: channel.id,
      text: 'error rate back to normal after rollback',
    });
    await socket.send('events_api', eventCallback(message, 'EvSockMsg1'));
    const reaction = eventCallback(
      ws.userAddReaction({ user: 'U0BOB', channel: channel.id, ts: String(message.ts), reaction: 'pushpin' }),
      'EvSockReact1',
    );
    const acked = await socket.send('events_api', reaction);
    expect(acked.envelope_id).toBeTruthy();
    await socket.send('events_api', reaction, { retryAttempt: 1, retryReason: 'timeout' });
    await h.idle();
    const entries = (await h.app.deps.store.timeline.list(1)).filter((e) => e.kind === 'message');
    expect(entries.map((e) => e.text)).toEqual(['error rate back to normal after rollback']);

    // Over the socket, no Slack traffic reaches POST /slack/events, but operators still have their routes.
    expect((await h.get('/healthz')).status).toBe(200);
    expect((await h.get('/readyz')).status).toBe(200);
    expect(await h.metrics()).toContain('muster_events_total{source="slack",outcome="new"}');

    await h.app.stop();
    expect(socket.closedByApp).toBe(1);
    // Even at trace level, payloads over the socket (verification token, response_url) are not logged.
    expect(h.logs.text).not.toContain('legacy-verification-token');
    expect(h.logs.text).not.toContain('/response/');
    expect(h.logs.text).not.toContain(APP_TOKEN);
    await h.slack.close();
    h = null;
  });

  it('stops start-up with one line and exit code 1 when Slack refuses the app-level token', async () => {
    const slack = await startFakeSlack();
    slack.socketMode.refuse = 'invalid_auth';
    const dir = tempDir();
    try {
      const child = spawn(...musterCommand('start'), {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          SLACK_BOT_TOKEN: slack.token,
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_APP_TOKEN: APP_TOKEN,
          SLACK_API_URL: slack.apiUrl,
          DATABASE_URL: join(dir, 'muster.db'),
          PORT: '0',
          METRICS_PORT: '0',
          LOG_LEVEL: 'silent',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += String(d)));
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(stderr.trim()).toBe(
        'muster: could not start: Slack refused SLACK_APP_TOKEN when opening the Socket Mode connection (invalid_auth)',
      );
      expect(stderr).not.toContain(APP_TOKEN);
    } finally {
      await slack.close();
    }
  });
});
