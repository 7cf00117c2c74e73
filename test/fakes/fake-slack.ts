/**
 * The fake Slack of the tests: the sandbox workspace served on 127.0.0.1 (random port), so the real WebClient
 * and Bolt code talk to it over HTTP. Point SLACK_API_URL (or WebClient's slackApiUrl) at `apiUrl`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createSlackApiHandler,
  type ResponseContext,
  type ResponseRecord,
  type SlackApiCall,
  type SlackApiHandler,
  type SlackFailure,
  SlackWorkspace,
  type SlackWorkspaceOptions,
} from '../../packages/sandbox/src/emulators.js';
import { FakeSocketMode } from './fake-socket-mode.js';

export interface FakeSlackOptions extends SlackWorkspaceOptions {
  /** serve this workspace instead of a fresh one (its baseUrl is set to the fake's address) */
  workspace?: SlackWorkspace;
  /** stamps `at` on recorded calls; default Date.now */
  callClock?: () => number;
}

export interface FakeSlack {
  /** `http://127.0.0.1:PORT/api/`: the value for SLACK_API_URL / WebClient's slackApiUrl */
  readonly apiUrl: string;
  /** `http://127.0.0.1:PORT` */
  readonly baseUrl: string;
  /** the bot token the fake accepts */
  readonly token: string;
  readonly workspace: SlackWorkspace;
  /** Socket Mode: `apps.connections.open` and the WebSocket the app connects to (SLACK_APP_TOKEN set) */
  readonly socketMode: FakeSocketMode;
  /** every Web API call received, oldest first */
  readonly calls: SlackApiCall[];
  callsTo(method: string): SlackApiCall[];
  lastCall(method: string): SlackApiCall | undefined;
  /** posts received on response_urls, oldest first */
  readonly responses: ResponseRecord[];
  /** mints a fresh response_url (with a context, the fake applies the reply as Slack would) */
  responseUrl(context?: ResponseContext): string;
  failNext(method: string, failure?: SlackFailure): void;
  failAlways(method: string, failure?: SlackFailure): void;
  clearFailures(): void;
  close(): Promise<void>;
}

/** Starts a fake Slack on 127.0.0.1 with a random port. */
export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const { workspace: given, callClock, ...workspaceOptions } = opts;
  const workspace = given ?? new SlackWorkspace(workspaceOptions);
  // Slack takes files far over the sandbox's 1 MB, and a test reads every call of its run: the sandbox's own
  // limits are tested in packages/sandbox/test/slack-api-server.test.ts
  const handler: SlackApiHandler = createSlackApiHandler(workspace, {
    clock: callClock,
    maxBodyBytes: 50 * 1024 * 1024,
    maxRecordedCalls: Number.POSITIVE_INFINITY,
  });
  let baseUrl = '';
  const socketMode = new FakeSocketMode(() => baseUrl);
  const server: Server = createServer((req, res) => {
    if (socketMode.handle(req, res)) return;
    if (!handler(req, res)) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  server.on('upgrade', socketMode.upgrade);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  workspace.baseUrl = baseUrl;

  return {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    token: workspace.token,
    workspace,
    socketMode,
    calls: handler.calls,
    callsTo: (method) => handler.calls.filter((c) => c.method === method),
    lastCall: (method) => handler.calls.filter((c) => c.method === method).at(-1),
    get responses() {
      return workspace.responses();
    },
    responseUrl: (context) => workspace.responseUrl(context),
    failNext: (method, failure) => handler.failNext(method, failure),
    failAlways: (method, failure) => handler.failAlways(method, failure),
    clearFailures: () => handler.clearFailures(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        socketMode.close();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
