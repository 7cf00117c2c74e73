/**
 * The HTTP transport: routes, body limits, request ids and per-route metrics. It knows nothing of Slack
 * or PagerDuty; their receivers are routes registered by compose.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lazyChild, type Logger } from '../log.js';
import type { Metrics } from './metrics.js';

export interface HttpRequest {
  req: IncomingMessage;
  res: ServerResponse;
  body: Buffer;
  requestId: string;
  log: Logger;
}

export type RouteHandler = (r: HttpRequest) => void | Promise<void>;

/** A handler for paths outside the route table (the sandbox UI); returns false when the path is not its own. */
export type FallbackHandler = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** A check run before every route and fallback (the sandbox's Host check); returns true when it answered the request. */
export type RequestGate = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Request bodies above this are refused with 413: Slack's own payloads stay far below it. */
export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {}

/** After a 413, how much more of the refused body is read (and dropped) so the client can read the answer. */
export const DRAIN_AFTER_413_BYTES = 64 * 1024 * 1024;
/** …and for how long, at most. */
export const DRAIN_AFTER_413_MS = 10_000;

/**
 * Answers 413 so that the client reads it. Closing the connection while the client is still sending makes
 * its kernel see a reset, and the client reports ECONNRESET or EPIPE instead of the answer. So the answer is
 * written at once (with its length and `Connection: close`), the rest of the body is read and dropped, and
 * the connection is closed once the client has sent it all, or past DRAIN_AFTER_413_BYTES or _MS.
 */
export function refuseTooLarge(req: IncomingMessage, res: ServerResponse, body: unknown): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.writeHead(413, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    connection: 'close',
  });
  // Written but not ended: ending the response now would make Node close the socket under the client.
  res.write(text);
  let drained = 0;
  let done = false;
  const finish = (destroy: boolean) => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    req.off('data', count);
    res.end();
    if (destroy) req.socket.destroy();
  };
  const count = (c: Buffer) => {
    drained += c.length;
    if (drained > DRAIN_AFTER_413_BYTES) finish(true);
  };
  const timer = setTimeout(() => finish(true), DRAIN_AFTER_413_MS);
  timer.unref();
  if (req.complete) {
    finish(false);
    return;
  }
  req.on('data', count);
  req.once('end', () => finish(false));
  // The client gave up first (it closed after reading the answer): nothing more to wait for.
  req.once('close', () => finish(false));
  req.resume();
}

/** Reads a body up to `limit` bytes; rejects with BodyTooLargeError past it. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLargeError());
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      if (tooLarge) return;
      size += c.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        reject(new BodyTooLargeError());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!tooLarge) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

export const sendJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  // A known length lets Node send the head and the body in one write, instead of chunked framing.
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
};

export class HttpServer {
  private readonly routes = new Map<string, { name: string; handler: RouteHandler }>();
  private readonly prefixes: { method: string; prefix: string; name: string; handler: RouteHandler }[] = [];
  private readonly fallbacks: FallbackHandler[] = [];
  private readonly gates: RequestGate[] = [];
  private server: Server | null = null;
  private accepting = true;

  constructor(
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly maxBody = MAX_BODY_BYTES,
  ) {}

  route(method: string, path: string, handler: RouteHandler, name = path): void {
    this.routes.set(`${method} ${path}`, { name, handler });
  }

  /** Routes every path under `prefix` (which ends with `/`) that no exact route takes: `/incidents/42`. */
  routePrefix(method: string, prefix: string, handler: RouteHandler, name = prefix): void {
    this.prefixes.push({ method, prefix, name, handler });
  }

  fallback(handler: FallbackHandler): void {
    this.fallbacks.push(handler);
  }

  /** Adds a check that every request passes before any route or fallback sees it. */
  gate(check: RequestGate): void {
    this.gates.push(check);
  }

  /** The Node request listener (also used by tests that bring their own server). */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    void this.handle(req, res);
  };

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    const path = (req.url ?? '/').split('?')[0]!;
    const route =
      this.routes.get(`${req.method} ${path}`) ??
      this.prefixes.find((p) => p.method === req.method && path.startsWith(p.prefix));
    const name = route?.name ?? 'other';
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || randomUUID();
    const log = lazyChild(this.log, { requestId });
    res.setHeader('x-request-id', requestId);
    res.on('finish', () => {
      const s = Number(process.hrtime.bigint() - started) / 1e9;
      this.metrics.httpDuration.observe({ route: name }, s);
      this.metrics.httpRequests.inc({ route: name, outcome: String(res.statusCode) });
    });
    if (!this.accepting) {
      res.setHeader('connection', 'close');
      sendJson(res, 503, { error: 'shutting down' });
      return;
    }
    try {
      for (const g of this.gates) if (g(req, res)) return;
      if (!route) {
        for (const f of this.fallbacks) if (await f(req, res)) return;
        const known = [...this.routes.keys()].some((k) => k.endsWith(` ${path}`));
        sendJson(res, known ? 405 : 404, { error: known ? 'method not allowed' : 'not found' });
        return;
      }
      let body: Buffer;
      try {
        body = await readBody(req, this.maxBody);
      } catch (e) {
        if (e instanceof BodyTooLargeError) {
          refuseTooLarge(req, res, { error: `request body over ${this.maxBody} bytes` });
          return;
        }
        throw e;
      }
      await route.handler({ req, res, body, requestId, log });
    } catch (e) {
      log.error({ err: e, route: name }, 'request failed');
      sendJson(res, 500, { error: 'internal error', requestId });
    }
  }

  listen(port: number, host?: string): Promise<number> {
    this.server = createServer(this.listener);
    this.server.keepAliveTimeout = 5000;
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve((this.server!.address() as AddressInfo).port));
    });
  }

  /** The address listened on; null before `listen` and after `close`. */
  address(): AddressInfo | null {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a : null;
  }

  /** Stops accepting connections; in-flight requests finish. */
  async close(): Promise<void> {
    this.accepting = false;
    const s = this.server;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeIdleConnections();
    });
    this.server = null;
  }
}
