/**
 * What Slack sends to an app's Request URL, sent by the sandbox: signed slash commands, interactivity payloads
 * and Events API deliveries. Events go one at a time in the order they happened and, like Slack, are retried
 * (with `X-Slack-Retry-Num`) when the app does not answer 2xx.
 */
import { slackSignatureHeaders } from '../../../src/index.js';

export interface DeliveryAnswer {
  status: number;
  text: string;
  /** the body as JSON, or null when empty or not JSON */
  json: Record<string, unknown> | null;
}

export interface SlackDeliveryOptions {
  /** the app's Request URL, e.g. `http://127.0.0.1:3000/slack/events` */
  url: string;
  signingSecret: string;
  /** epoch milliseconds; signatures carry its time, so the app's clock must agree */
  clock: () => number;
  /** waits before Slack's three retries of an event; default 200 ms, 1 s, 5 s (Slack: at once, 1 min, 5 min) */
  retryDelaysMs?: number[];
  /** told when an event could not be delivered after every retry */
  onGiveUp?: (eventId: string, reason: string) => void;
}

export class SlackDelivery {
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private closed = false;
  /** retry waits in progress, with what ends them early (close) */
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly waiters = new Set<() => void>();

  constructor(private readonly opts: SlackDeliveryOptions) {}

  /** Posts a signed body to the Request URL; rejects only when the app cannot be reached. */
  async post(
    body: string,
    contentType: string,
    headers: Record<string, string> = {},
  ): Promise<DeliveryAnswer> {
    const timestamp = Math.floor(this.opts.clock() / 1000);
    const response = await fetch(this.opts.url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
        ...slackSignatureHeaders(this.opts.signingSecret, body, timestamp),
        ...headers,
      },
      body,
    });
    const text = await response.text();
    let json: Record<string, unknown> | null = null;
    try {
      const parsed = text ? (JSON.parse(text) as unknown) : null;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        json = parsed as Record<string, unknown>;
    } catch {
      // a plain-text answer is kept as text
    }
    return { status: response.status, text, json };
  }

  /** A slash command, form-encoded as Slack sends it. */
  command(form: URLSearchParams): Promise<DeliveryAnswer> {
    return this.post(form.toString(), 'application/x-www-form-urlencoded');
  }

  /** An interactivity payload (block_actions, view_submission, view_closed) as the `payload` form field. */
  interact(payload: Record<string, unknown>): Promise<DeliveryAnswer> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return this.post(body, 'application/x-www-form-urlencoded');
  }

  /** Queues an Events API envelope; delivered after every event queued before it. */
  event(envelope: Record<string, unknown> & { event_id: string }): void {
    if (this.closed) return;
    this.pending += 1;
    this.queue = this.queue
      .then(() => this.deliver(envelope))
      .finally(() => {
        this.pending -= 1;
        if (this.pending === 0) for (const w of [...this.waiters]) w();
      });
  }

  /** Resolves when every queued event was delivered (or given up). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.waiters.delete(done);
        resolve();
      };
      this.waiters.add(done);
    });
  }

  get busy(): boolean {
    return this.pending > 0;
  }

  /** Stops retrying; events still queued are dropped. */
  close(): void {
    this.closed = true;
    for (const [timer, end] of this.timers) {
      clearTimeout(timer);
      end();
    }
    this.timers.clear();
  }

  private async deliver(envelope: Record<string, unknown> & { event_id: string }): Promise<void> {
    const body = JSON.stringify(envelope);
    const delays = this.opts.retryDelaysMs ?? [200, 1000, 5000];
    let reason = '';
    for (let attempt = 0; attempt <= delays.length; attempt += 1) {
      if (this.closed) return;
      if (attempt > 0) await this.wait(delays[attempt - 1] ?? 0);
      if (this.closed) return;
      // Slack marks a repeated delivery so the app can tell it from a new event
      const headers: Record<string, string> =
        attempt === 0 ? {} : { 'x-slack-retry-num': String(attempt), 'x-slack-retry-reason': reason };
      try {
        const answer = await this.post(body, 'application/json', headers);
        if (answer.status >= 200 && answer.status < 300) return;
        reason = `http_error`;
      } catch {
        reason = 'connection_failed';
      }
    }
    this.opts.onGiveUp?.(envelope.event_id, reason);
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      timer.unref();
      this.timers.set(timer, resolve);
    });
  }
}
