/**
 * The sandbox page's HTTP side, mounted beside the app's routes: the page and its static files (`GET /`,
 * `/sandbox/ui/*`, permalinks `/archives/*` and the fake GitHub's issue pages `/sandbox/issues/*`), its JSON state (`GET /sandbox/state`), live change notices as
 * Server-Sent Events (`GET /sandbox/events`), and what a person does (`POST /sandbox/act`).
 *
 * Another web site the developer visits must not drive the sandbox: an act is taken only as JSON with the
 * SANDBOX_HEADER (sandbox-page-post.ts).
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import * as z from 'zod';
import { sendJson } from '../../../src/index.js';
import { type PageStateContext, pageState } from './page-state.js';
import { readPagePost } from './sandbox-page-post.js';
import type { SlackWorkspace } from './slack-workspace.js';
import type { Outcome, WorkspacePeople } from './workspace-people.js';

export interface SandboxPageOptions {
  workspace: SlackWorkspace;
  people: WorkspacePeople;
  /** folder of index.html and the page's scripts and styles */
  uiDir: string;
  announceChannel: string;
  channelPrefix: string;
  /** Muster's incident in a channel, for the sidebar's marks */
  incidentIn?: PageStateContext['incidentIn'];
  /** the fake GitHub's issues, for the page's list */
  issues?: PageStateContext['issues'];
  /** where the fake GitHub's issue pages are (they open the page) */
  issuePagePath?: string;
}

export interface SandboxPage {
  /** Serves the page's paths; false for any other. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Tells the open pages that something they show changed (the workspace's changes tell them on their own). */
  changed(): void;
  /** Ends the open event streams (before the server closes, which waits for them). */
  close(): void;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
const STATIC = /^\/sandbox\/ui\/([a-z0-9-]+\.(?:js|css|svg))$/;
/** how long change notices are gathered before the page is told (a command changes many things at once) */
const NOTICE_DELAY_MS = 40;
const HEARTBEAT_MS = 25_000;
/**
 * Open live-update streams at most; the oldest is ended past it (its page reconnects on its own). A browser
 * opens one per tab, so this is many tabs, while each stream holds a socket for as long as the page is open.
 */
export const LIVE_CONNECTIONS_CAP = 32;
export { SANDBOX_HEADER } from './sandbox-page-post.js';

const id = z.string().min(1).max(64);
const entered = z.union([z.string().max(10_000), z.array(z.string().max(200)).max(100), z.null()]);
const values = z.record(z.string().max(255), z.record(z.string().max(255), entered));
const ActSchema = z.discriminatedUnion('act', [
  z.object({
    act: z.literal('type'),
    user: id,
    channel: id,
    text: z.string().max(40_000),
    threadTs: id.optional(),
  }),
  z.object({ act: z.literal('react'), user: id, channel: id, ts: id, reaction: id, on: z.boolean() }),
  z.object({ act: z.literal('join'), user: id, channel: id }),
  z.object({
    act: z.literal('press'),
    user: id,
    channel: id.optional(),
    ts: id.optional(),
    viewId: id.optional(),
    blockId: z.string().max(255),
    actionId: z.string().max(255),
    entered: entered.default(null),
    values: values.default({}),
  }),
  z.object({ act: z.literal('submit'), user: id, viewId: id, values }),
  z.object({ act: z.literal('close'), user: id, viewId: id, values: values.default({}) }),
  // opening the app's Home tab (or its Messages tab): Slack sends app_home_opened
  z.object({ act: z.literal('home'), user: id, tab: z.enum(['home', 'messages']).default('home') }),
]);
type Act = z.infer<typeof ActSchema>;

/** Creates the page's handler over a workspace and the people acting in it. */
export function createSandboxPage(opts: SandboxPageOptions): SandboxPage {
  const { workspace: ws, people } = opts;
  const streams = new Set<ServerResponse>();
  let version = 0;
  let notice: NodeJS.Timeout | null = null;
  const ctx = (): PageStateContext => ({
    version,
    announceChannel: opts.announceChannel,
    channelPrefix: opts.channelPrefix,
    errorsOf: (viewId) => people.errorsOf(viewId),
    ...(opts.incidentIn ? { incidentIn: opts.incidentIn } : {}),
    ...(opts.issues ? { issues: opts.issues } : {}),
  });

  const tell = () => {
    notice = null;
    for (const res of streams) res.write(`data: ${version}\n\n`);
  };
  const changed = () => {
    version += 1;
    if (!notice) notice = setTimeout(tell, NOTICE_DELAY_MS);
  };
  ws.on('change', changed);
  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(': still here\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  async function serveFile(res: ServerResponse, name: string): Promise<void> {
    try {
      const body = await readFile(join(opts.uiDir, name));
      res.writeHead(200, {
        'content-type': TYPES[extname(name)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      });
      res.end(body);
    } catch {
      sendJson(res, 404, { error: 'not found' });
    }
  }

  function serveEvents(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write(`retry: 1000\ndata: ${version}\n\n`);
    streams.add(res);
    req.on('close', () => streams.delete(res));
    for (const oldest of streams) {
      if (streams.size <= LIVE_CONNECTIONS_CAP) break;
      streams.delete(oldest);
      oldest.end();
    }
  }

  async function serveAct(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const act = await readPagePost(req, res, ActSchema);
    if (act) sendJson(res, 200, await perform(act));
  }

  function perform(a: Act): Promise<Outcome> | Outcome {
    if (!ws.user(a.user) || ws.user(a.user)?.isBot) return { ok: false, error: 'user_not_found' };
    switch (a.act) {
      case 'type':
        return people.type(a.user, a.channel, a.text, a.threadTs);
      case 'react':
        return people.react(a.user, a.channel, a.ts, a.reaction, a.on);
      case 'join':
        return people.join(a.user, a.channel);
      case 'press': {
        const target = a.viewId
          ? { viewId: a.viewId }
          : a.channel && a.ts
            ? { channel: a.channel, ts: a.ts }
            : null;
        if (!target) return { ok: false, error: 'invalid_arguments' };
        return people.press(
          a.user,
          target,
          { blockId: a.blockId, actionId: a.actionId },
          a.entered,
          a.values,
        );
      }
      case 'submit':
        return people.submit(a.user, a.viewId, a.values);
      case 'close':
        return people.close(a.user, a.viewId, a.values);
      case 'home':
        return people.openAppHome(a.user, a.tab);
    }
  }

  const fail = (res: ServerResponse) => () => {
    if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal_error' });
  };

  return {
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
      const path = url.pathname;
      const issuePage = opts.issuePagePath !== undefined && path.startsWith(`${opts.issuePagePath}/`);
      if (req.method === 'GET' && (path === '/' || path.startsWith('/archives/') || issuePage)) {
        void serveFile(res, 'index.html');
        return true;
      }
      const file = req.method === 'GET' ? STATIC.exec(path) : null;
      if (file?.[1]) {
        void serveFile(res, file[1]);
        return true;
      }
      if (req.method === 'GET' && path === '/favicon.ico') {
        void serveFile(res, 'favicon.svg');
        return true;
      }
      if (req.method === 'GET' && path === '/sandbox/state') {
        const q = url.searchParams;
        void pageState(
          ws,
          {
            user: q.get('user') ?? '',
            channel: q.get('channel') ?? undefined,
            thread: q.get('thread') ?? undefined,
          },
          ctx(),
        ).then(
          (state) => sendJson(res, 200, state, { 'cache-control': 'no-store' }),
          () => sendJson(res, 500, { error: 'the page state could not be read' }),
        );
        return true;
      }
      if (req.method === 'GET' && path === '/sandbox/events') {
        serveEvents(req, res);
        return true;
      }
      if (req.method === 'POST' && path === '/sandbox/act') {
        serveAct(req, res).catch(fail(res));
        return true;
      }
      return false;
    },
    changed,
    close() {
      ws.off('change', changed);
      clearInterval(heartbeat);
      if (notice) clearTimeout(notice);
      for (const res of streams) res.end();
      streams.clear();
    },
  };
}
