/**
 * Bolt's Receiver for Muster. Over HTTP it verifies Slack's signature (both stale and future timestamps
 * are refused), answers 400 to a malformed body or one of no known kind, stores Events API deliveries
 * durably *before* answering (Slack retries with X-Slack-Retry-Num until it gets a 2xx, and a stored event
 * is never lost or doubled), hands slash commands straight to the command listener and interactivity to
 * Bolt, each with an ack that writes the HTTP response. In Socket Mode (an app-level token) the same paths sit behind Bolt's
 * SocketModeReceiver, which connects through `apps.connections.open` at SLACK_API_URL.
 */
import {
  type App,
  type Receiver,
  type ReceiverEvent,
  type SlashCommand,
  SocketModeReceiver,
} from '@slack/bolt';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/ports.js';
import type { HttpRequest } from '../http/server.js';
import { sendJson } from '../http/server.js';
import type { Metrics } from '../http/metrics.js';
import { type CommandVerdict, refusalText } from '../http/command-rate-limit.js';
import type { Logger } from '../log.js';
import type { IncidentStore } from '../../domain/ports.js';
import { boltLogger } from './bolt-logger.js';
import type { CommandListener } from './command-listener.js';
import { isSignedBySlack } from './request-signature.js';
import type { EventEnvelope, EventProcessor } from './event-processor.js';

/** Slack gives up at 3 s; answer empty before that when a listener forgets to ack. */
const ACK_DEADLINE_MS = 2500;

export interface ReceiverOptions {
  signingSecret: string;
  store: IncidentStore;
  processor: EventProcessor;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  /** Limiter for slash commands (per person, under a workspace ceiling); says why one is refused. */
  allowCommand?: (teamId: string, userId: string, text: string) => CommandVerdict;
  /** App-level token (`xapp-`): when set, Slack is reached over Socket Mode instead of HTTP. */
  appToken?: string;
  /** Base URL of the Web API, where Socket Mode's `apps.connections.open` is called too (SLACK_API_URL). */
  slackApiUrl?: string;
}

export class MalformedBodyError extends Error {}

/** What a signed request from Slack carries; null for a body that is none of them. */
export type SlackRequestKind =
  | 'event'
  | 'url_verification'
  | 'ssl_check'
  | 'app_rate_limited'
  | 'command'
  | 'interaction';

/**
 * Interactivity payload types Bolt dispatches without `actions` or `name` (Bolt's getTypeAndConversation):
 * a `block_actions` payload is dispatched by its `actions`, and without them Bolt would not ack it either.
 */
const INTERACTION_TYPES = new Set([
  'block_suggestion',
  'dialog_submission',
  'message_action',
  'shortcut',
  'view_submission',
  'view_closed',
]);

/**
 * Sorts a parsed Slack body. Anything else would reach Bolt, which finds no listener and never acks:
 * the request would hang until the ack deadline, so it is refused with 400 at once instead.
 */
export function slackRequestKind(body: Record<string, unknown>): SlackRequestKind | null {
  const type = body.type;
  if (type === 'event_callback') return 'event';
  if (type === 'url_verification') return 'url_verification';
  if (type === 'app_rate_limited') return 'app_rate_limited';
  if (body.ssl_check !== undefined) return 'ssl_check';
  if (typeof body.command === 'string') return 'command';
  if (typeof type === 'string' && INTERACTION_TYPES.has(type)) return 'interaction';
  if (Array.isArray(body.actions) || body.name !== undefined) return 'interaction';
  return null;
}

/** Parses a Slack request body by content type: JSON (Events API) or form (commands; `payload=` for interactivity). */
export function parseSlackBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  try {
    if ((contentType ?? '').includes('application/json')) {
      const v = JSON.parse(raw) as unknown;
      if (!v || typeof v !== 'object' || Array.isArray(v)) throw new MalformedBodyError('not a JSON object');
      return v as Record<string, unknown>;
    }
    const form = new URLSearchParams(raw);
    const payload = form.get('payload');
    if (payload !== null) {
      const v = JSON.parse(payload) as unknown;
      if (!v || typeof v !== 'object') throw new MalformedBodyError('payload is not a JSON object');
      return v as Record<string, unknown>;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of form) out[k] = v;
    if (Object.keys(out).length === 0) throw new MalformedBodyError('empty body');
    return out;
  } catch (e) {
    throw e instanceof MalformedBodyError ? e : new MalformedBodyError((e as Error).message);
  }
}

export class SlackReceiver implements Receiver {
  private app: App | null = null;
  private socket: SocketModeReceiver | null = null;
  private commands: CommandListener | null = null;

  constructor(private readonly opts: ReceiverOptions) {}

  /** Slash commands go straight to `listener` instead of through Bolt's dispatch (see command-listener.ts). */
  handleCommands(listener: CommandListener): void {
    this.commands = listener;
  }

  init(app: App): void {
    this.app = app;
    if (this.opts.appToken) {
      this.socket = new SocketModeReceiver({
        appToken: this.opts.appToken,
        logger: boltLogger(this.opts.log, { debug: false }),
        installerOptions: {
          clientOptions: this.opts.slackApiUrl ? { slackApiUrl: this.opts.slackApiUrl } : {},
        },
      });
      // Bolt's SocketModeReceiver only calls `processEvent`: route it through the durable path.
      this.socket.init({
        processEvent: (ev: ReceiverEvent) => {
          const requestId = randomUUID();
          return this.dispatch(ev, this.opts.log.child({ requestId }), requestId);
        },
      } as unknown as App);
    }
  }

  async start(): Promise<void> {
    await this.socket?.start();
  }

  async stop(): Promise<void> {
    // SocketModeReceiver.stop() does not wait for the close handshake: wait for it, so nothing outlives stop.
    await this.socket?.client.disconnect();
  }

  /** The `POST /slack/events` route. */
  readonly handleHttp = async ({ req, res, body, log, requestId }: HttpRequest): Promise<void> => {
    const signed = isSignedBySlack({
      signingSecret: this.opts.signingSecret,
      body,
      signature: req.headers['x-slack-signature'],
      timestamp: req.headers['x-slack-request-timestamp'],
      nowMs: this.opts.clock.now(),
    });
    if (!signed) {
      log.warn({ reason: 'signature' }, 'refused a Slack request with a missing, stale or wrong signature');
      sendJson(res, 401, { error: 'invalid signature' });
      return;
    }
    let parsed: Record<string, unknown>;
    try {
      parsed = parseSlackBody(body.toString('utf8'), req.headers['content-type']);
    } catch (e) {
      log.warn({ reason: (e as Error).message }, 'refused a malformed Slack request');
      sendJson(res, 400, { error: 'malformed body' });
      return;
    }
    const kind = slackRequestKind(parsed);
    if (kind === null) {
      log.warn(
        { reason: 'unknown kind', contentType: req.headers['content-type'], bytes: body.length },
        'refused a signed Slack request that is neither a slash command, an interaction nor an event',
      );
      sendJson(res, 400, { error: 'not a slash command, interaction or event' });
      return;
    }
    if (kind === 'url_verification') {
      sendJson(res, 200, { challenge: parsed.challenge });
      return;
    }
    if (kind === 'ssl_check') {
      sendJson(res, 200, {});
      return;
    }
    if (kind === 'app_rate_limited') {
      // Slack is dropping this workspace's events for a minute (over 30,000 an hour): nothing to store.
      log.warn(
        { minuteRateLimited: parsed.minute_rate_limited },
        'Slack is rate-limiting the events it sends to Muster',
      );
      sendJson(res, 200, {});
      return;
    }
    const retryNum = Number(req.headers['x-slack-retry-num'] ?? 0) || undefined;
    const retryReason = (req.headers['x-slack-retry-reason'] as string | undefined) ?? undefined;
    let answered = false;
    const timer = setTimeout(() => {
      if (!answered) {
        answered = true;
        log.error('a listener did not acknowledge in time; answered empty');
        res.writeHead(200).end();
      }
    }, ACK_DEADLINE_MS);
    timer.unref();
    const ack = async (response?: unknown): Promise<void> => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      if (response === undefined || response === '') res.writeHead(200).end();
      else if (typeof response === 'string') sendJson(res, 200, { text: response });
      else sendJson(res, 200, response);
    };
    try {
      await this.dispatch({ body: parsed, ack, retryNum, retryReason }, log, requestId);
    } catch (e) {
      clearTimeout(timer);
      if (!answered) {
        answered = true;
        // Not acknowledged, so Slack retries: nothing is lost.
        log.error({ err: e }, 'could not store the request');
        sendJson(res, 500, { error: 'try again' });
      }
    }
  };

  /** Events go through the durable processor, slash commands to the command listener, the rest to Bolt. */
  private async dispatch(ev: ReceiverEvent, log: Logger, requestId: string): Promise<void> {
    const body = ev.body as Record<string, unknown>;
    if (body.type === 'event_callback') {
      const envelope = body as unknown as EventEnvelope;
      if (typeof envelope.event_id !== 'string' || !envelope.event || typeof envelope.event !== 'object') {
        await ev.ack();
        log.warn('ignored an event without event_id or event');
        return;
      }
      // Throws when the database cannot take it: the caller answers 500 and Slack delivers again.
      // Held by this instance from the insert on: no other sweeps it up while it is handled here.
      const now = this.opts.clock.now();
      const fresh = await this.opts.store.inbound.record(
        'slack',
        envelope.event_id,
        JSON.stringify(body),
        now,
        this.opts.processor.lease(now),
      );
      await ev.ack();
      this.opts.metrics.eventsReceived.inc({ source: 'slack', outcome: fresh ? 'new' : 'duplicate' });
      if (!fresh) {
        log.info(
          { eventId: envelope.event_id, retryNum: ev.retryNum, retryReason: ev.retryReason },
          'repeated event ignored',
        );
        return;
      }
      void this.opts.processor.enqueue(envelope.event_id, envelope, log);
      return;
    }
    if (body.command !== undefined) {
      const verdict = this.opts.allowCommand?.(
        String(body.team_id ?? ''),
        String(body.user_id ?? ''),
        String(body.text ?? ''),
      );
      if (verdict && !verdict.allowed) {
        this.opts.metrics.commands.inc({
          command: 'any',
          outcome: verdict.scope === 'workspace' ? 'workspace_rate_limited' : 'rate_limited',
        });
        log.debug(
          {
            userId: body.user_id,
            scope: verdict.scope,
            urgent: verdict.urgent,
            retryAfterSeconds: verdict.retryAfterSeconds,
          },
          'refused a slash command over the rate limit',
        );
        await ev.ack({ response_type: 'ephemeral', text: refusalText(verdict) });
        return;
      }
      if (this.commands) {
        await this.commands({
          command: body as unknown as SlashCommand,
          ack: (r) => ev.ack(r),
          log,
          requestId,
        });
        return;
      }
    }
    if (!this.app) throw new Error('receiver not initialised');
    await this.app.processEvent({ ...ev, customProperties: { requestLog: log } });
  }
}
