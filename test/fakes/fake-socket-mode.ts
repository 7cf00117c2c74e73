/**
 * Slack's Socket Mode, faked at the wire: `apps.connections.open` (app-level token only) hands out a ws:// URL
 * on the fake Slack's own port, and a minimal RFC 6455 server behind it says `hello`, pushes envelopes (slash
 * commands, Events API, interactivity) and collects the app's acknowledgements. The real SocketModeClient of
 * @slack/socket-mode connects to it, so Bolt's Socket Mode path runs unchanged.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

export type EnvelopeType = 'slash_commands' | 'events_api' | 'interactive';

/** What the app sent back for an envelope: `payload` is the response it acknowledged with, if any. */
export interface SocketModeAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP_TEXT = 0x1;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;

/** One unmasked, unfragmented server frame. */
function frame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  let head: Buffer;
  if (len < 126) head = Buffer.from([0x80 | opcode, len]);
  else if (len < 65536) {
    head = Buffer.alloc(4);
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

export class FakeSocketMode {
  /** app-level tokens presented to apps.connections.open, oldest first */
  readonly opens: string[] = [];
  /** every acknowledgement received, oldest first */
  readonly acks: SocketModeAck[] = [];
  /** connections the app closed with a close frame (a clean disconnect) */
  closedByApp = 0;
  /** when set, apps.connections.open answers with this error (e.g. `invalid_auth` for a revoked token) */
  refuse: string | null = null;
  private readonly sockets = new Set<Duplex>();
  private live: Duplex | null = null;
  /** the next connection `send` uses when several are open */
  private turn = 0;
  private readonly pendingAcks = new Map<string, (ack: SocketModeAck) => void>();
  private connectedWaiters: (() => void)[] = [];

  constructor(private readonly baseUrl: () => string) {}

  /** Answers `apps.connections.open`; returns false for any other request. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (!(req.url ?? '').startsWith('/api/apps.connections.open')) return false;
    req.resume();
    const token = String(req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
    // Slack refuses a bot token here: only app-level tokens open Socket Mode connections.
    const error = !token ? 'not_authed' : !token.startsWith('xapp-') ? 'not_allowed_token_type' : this.refuse;
    if (error) {
      res.end(JSON.stringify({ ok: false, error }));
      return true;
    }
    this.opens.push(token);
    const url = `${this.baseUrl().replace(/^http/, 'ws')}/socket-mode/link/?ticket=${randomUUID()}`;
    res.end(JSON.stringify({ ok: true, url }));
    return true;
  }

  /** The HTTP server's `upgrade` listener: completes the WebSocket handshake and says hello. */
  readonly upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const key = req.headers['sec-websocket-key'];
    if (!(req.url ?? '').startsWith('/socket-mode/') || typeof key !== 'string') {
      socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
      return;
    }
    const accept = createHash('sha1')
      .update(key + WS_GUID)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    this.sockets.add(socket);
    this.live = socket;
    let buffered: Buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      buffered = this.readFrames(socket, buffered);
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (this.live === socket) this.live = null;
    });
    if (head.length > 0) onData(head);
    this.sendJson(socket, {
      type: 'hello',
      num_connections: 1,
      debug_info: { host: 'fake-slack', build_number: 1, approximate_connection_time: 18060 },
      connection_info: { app_id: 'A0MUSTER' },
    });
    for (const w of this.connectedWaiters.splice(0)) w();
  };

  /** Resolves once the app holds an open connection. */
  connected(): Promise<void> {
    if (this.live) return Promise.resolve();
    return new Promise((resolve) => this.connectedWaiters.push(resolve));
  }

  /** Number of open connections. */
  get connections(): number {
    return this.sockets.size;
  }

  /**
   * Pushes one envelope to the app as Slack does; resolves with the app's acknowledgement. With several
   * connections open (several instances, or one app's several sockets), Slack spreads envelopes over them:
   * here in turn, or on the `connection`-th open one (oldest first) when given.
   */
  send(
    type: EnvelopeType,
    payload: Record<string, unknown>,
    opts: { envelopeId?: string; retryAttempt?: number; retryReason?: string; connection?: number } = {},
  ): Promise<SocketModeAck> {
    const open = [...this.sockets];
    const socket =
      opts.connection !== undefined ? open[opts.connection] : open[this.turn++ % Math.max(open.length, 1)];
    if (!socket) return Promise.reject(new Error('no Socket Mode connection is open'));
    const envelopeId = opts.envelopeId ?? randomUUID();
    const acked = new Promise<SocketModeAck>((resolve) => this.pendingAcks.set(envelopeId, resolve));
    this.sendJson(socket, {
      envelope_id: envelopeId,
      type,
      payload,
      accepts_response_payload: type !== 'events_api',
      ...(type === 'events_api'
        ? { retry_attempt: opts.retryAttempt ?? 0, retry_reason: opts.retryReason ?? '' }
        : {}),
    });
    return acked;
  }

  /** Drops every connection at once (the fake Slack is closing). */
  close(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.live = null;
  }

  private sendJson(socket: Duplex, value: unknown): void {
    socket.write(frame(OP_TEXT, Buffer.from(JSON.stringify(value))));
  }

  /** Handles every whole frame in `buf` (clients mask their frames and never fragment ours); returns the rest. */
  private readFrames(socket: Duplex, buf: Buffer): Buffer {
    for (;;) {
      if (buf.length < 2) return buf;
      const opcode = buf[0]! & 0x0f;
      const masked = (buf[1]! & 0x80) !== 0;
      let len = buf[1]! & 0x7f;
      let at = 2;
      if (len === 126) {
        if (buf.length < 4) return buf;
        len = buf.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (buf.length < 10) return buf;
        len = Number(buf.readBigUInt64BE(2));
        at = 10;
      }
      const maskAt = at;
      if (masked) at += 4;
      if (buf.length < at + len) return buf;
      const payload = Buffer.from(buf.subarray(at, at + len));
      if (masked) for (let i = 0; i < len; i++) payload[i] = payload[i]! ^ buf[maskAt + (i % 4)]!;
      buf = buf.subarray(at + len);
      this.onFrame(socket, opcode, payload);
    }
  }

  private onFrame(socket: Duplex, opcode: number, payload: Buffer): void {
    if (opcode === OP_PING) socket.write(frame(OP_PONG, payload));
    else if (opcode === OP_CLOSE) {
      this.closedByApp++;
      if (this.live === socket) this.live = null;
      socket.end(frame(OP_CLOSE, payload));
    } else if (opcode === OP_TEXT) {
      const ack = JSON.parse(payload.toString('utf8')) as SocketModeAck;
      this.acks.push(ack);
      this.pendingAcks.get(ack.envelope_id)?.(ack);
      this.pendingAcks.delete(ack.envelope_id);
    }
  }
}
