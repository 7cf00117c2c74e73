/**
 * The sandbox: Muster with a built-in local Slack workspace, PagerDuty and GitHub, all on one HTTP server, used
 * when no Slack credentials are set. The real path runs end to end: the app calls the workspace's Web API at
 * SLACK_API_URL, people act in the page and the sandbox sends Slack's signed requests to `/slack/events`, the
 * fake PagerDuty acknowledges pages a few seconds later with a signed webhook to `/pagerduty/webhook`, and an
 * action item becomes an issue in the fake GitHub, which a person closes from the page (a signed webhook to
 * `/webhooks/github`).
 * Everything it keeps is in files of its own, so a restart keeps it and the bot's DATABASE_URL is never opened:
 * the app's records of sandbox incidents in SANDBOX_DATABASE_URL, a Muster database like any other, and the
 * workspace in the sandbox's state file (state-file.ts). It listens on 127.0.0.1 unless HOST (or `host`) says
 * otherwise, and its bot token and secrets are new on every run.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  buildApp,
  type Config,
  httpAddress,
  isLoopback,
  type MusterApp,
  type Overrides,
  projectRoot,
  systemClock,
} from '../../../src/index.js';
import { manifestBotEvents, subscriptionFilter } from './manifest-subscriptions.js';
import type { FakePagerDuty } from './pagerduty-api.js';
import type { FakeGitHub } from './trackers/github-api.js';
import { localHostCheck } from './local-host-check.js';
import { packageRoot } from './package-root.js';
import { createSandboxPage } from './sandbox-page-routes.js';
import { sandboxConfig } from './sandbox-config.js';
import { createSandboxGitHub, type LinkedIssue, restoreIssues } from './sandbox-github.js';
import { createSandboxIssues, ISSUE_PAGE_PATH, type SandboxIssues } from './sandbox-issue-routes.js';
import { createSandboxPagerDuty } from './sandbox-pagerduty.js';
import { createSlackApiHandler } from './slack-api-server.js';
import { SlackDelivery } from './slack-delivery.js';
import { randomBotToken, type SlackWorkspace } from './slack-workspace.js';
import { INCIDENTS_CHANNEL_ID, TEAM } from './slack-workspace-seed.js';
import { moveLegacyWorkspace } from './store/legacy-workspace.js';
import { WorkspaceStore } from './store/workspace-store.js';
import { stateFileOf } from './state-file.js';
import { restoreWorkspace, WorkspaceSaver } from './workspace-persistence.js';
import { WorkspacePeople } from './workspace-people.js';

/** Where the fake PagerDuty is served on the sandbox's server. */
export const PAGERDUTY_BASE_PATH = '/sandbox/pagerduty';
/** Where the fake GitHub's REST API is served on the sandbox's server. */
export const GITHUB_BASE_PATH = '/sandbox/github';

export interface SandboxOptions {
  /** the port to listen on; default config.PORT; 0 picks a free one */
  port?: number;
  /**
   * the address to listen on; default HOST, else 127.0.0.1 (this machine only). When it names one host (not
   * 0.0.0.0 or ::), requests addressed to that name are answered too, beside the loopback names.
   */
  host?: string;
  overrides?: Overrides;
  /** how long after a page PagerDuty acknowledges it; default 5 s */
  acknowledgeAfterMs?: number;
  /** waits before Slack's retries of an undelivered event (tests shorten them) */
  eventRetryDelaysMs?: number[];
  /** how a free port is found for `port: 0` (tests give one that is taken first) */
  pickPort?: (host: string) => Promise<number>;
}

/** How many free ports `port: 0` tries when another process takes the one found before the sandbox listens. */
const PORT_TRIES = 3;

export interface Sandbox {
  app: MusterApp;
  /** the page's address, e.g. http://127.0.0.1:3000/ */
  url: string;
  port: number;
  /** the address the server listens on */
  host: string;
  workspace: SlackWorkspace;
  pagerduty: FakePagerDuty;
  /** the tracker the demo catalog's follow-ups go to */
  github: FakeGitHub;
  /** its issues as the page lists them, and closing or reopening one as a person in the page does */
  issues: SandboxIssues;
  people: WorkspacePeople;
  /** the SQLite file the workspace is kept in (state-file.ts) */
  stateFile: string;
  /** whether the workspace came from the state file (a restart) rather than fresh */
  restored: boolean;
  /** which catalog is in use: the configured file, or the demo catalog (no file at CATALOG_PATH) */
  catalog: 'configured' | 'demo';
  /** Resolves when no event is on its way to the app and the app has no work left. */
  idle(): Promise<void>;
  /** Stops the app and saves the workspace. */
  stop(): Promise<void>;
}

/** A port free at `host` now (for `port: 0`: the app's own URLs must name its port before it listens). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Builds and starts Muster with the sandbox workspace and PagerDuty; throws when the app cannot start. With
 * `port: 0`, the port is found before the app is built (its URLs name it): when another process takes it in
 * between, the whole sandbox is taken down and built again on another free port.
 */
export async function startSandbox(base: Config, opts: SandboxOptions = {}): Promise<Sandbox> {
  const host = opts.host ?? base.HOST ?? '127.0.0.1';
  const requested = opts.port ?? base.PORT;
  if (requested !== 0) return startSandboxOn(base, opts, host, requested);
  const pick = opts.pickPort ?? freePort;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startSandboxOn(base, opts, host, await pick(host));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= PORT_TRIES) throw e;
    }
  }
}

async function startSandboxOn(
  base: Config,
  opts: SandboxOptions,
  host: string,
  port: number,
): Promise<Sandbox> {
  // how this process reaches its own server: a wildcard address is reached through loopback
  const reach = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const clock = opts.overrides?.clock ?? systemClock;
  const now = () => clock.now();
  const local = httpAddress(reach, port);
  const botToken = randomBotToken();
  const signingSecret = randomBytes(20).toString('hex');
  const webhookSecret = randomBytes(20).toString('hex');
  const pagerduty = createSandboxPagerDuty({ basePath: PAGERDUTY_BASE_PATH, now });
  const github = createSandboxGitHub({
    basePath: GITHUB_BASE_PATH,
    webUrl: `${local}${ISSUE_PAGE_PATH}`,
    webhookUrl: `${local}/webhooks/github`,
    now,
  });
  const { config, catalog } = sandboxConfig(base, {
    port,
    localUrl: local,
    botToken,
    signingSecret,
    webhookSecret,
    announceChannel: INCIDENTS_CHANNEL_ID,
    pagerdutyUrl: `${local}${PAGERDUTY_BASE_PATH}`,
    pagerdutyToken: pagerduty.fake.token,
    pagerdutyFrom: pagerduty.fake.from,
    githubUrl: `${local}${GITHUB_BASE_PATH}`,
    githubToken: github.fake.token,
    githubWebhookSecret: github.webhookSecret,
    env: pagerduty.env,
  });
  const stateFile = stateFileOf(base);
  // The workspace lives in its own file, apart from Muster's database. One that an older sandbox kept inside
  // that database moves out first, before Muster opens it.
  const store = new WorkspaceStore(stateFile);
  let app: MusterApp;
  let moved: boolean;
  try {
    moved = moveLegacyWorkspace(config.DATABASE_URL, store);
    // The incidents web page needs no sign-in here: it is shown as the workspace's first person sees it.
    app = buildApp(config, {
      localWebViewer: { userId: 'U0ALICE', teamId: TEAM.id, name: 'Alice Example' },
      ...opts.overrides,
    });
  } catch (e) {
    store.close();
    throw e;
  }
  const log = app.log.child({ component: 'sandbox' });
  if (moved)
    log.info({ from: config.DATABASE_URL, to: stateFile }, 'moved the sandbox workspace to its own file');
  const { workspace, restored } = restoreWorkspace(store, {
    token: botToken,
    baseUrl: local,
    clock: now,
  });
  const delivery = new SlackDelivery({
    url: `${local}/slack/events`,
    signingSecret,
    clock: now,
    ...(opts.eventRetryDelaysMs ? { retryDelaysMs: opts.eventRetryDelaysMs } : {}),
    onGiveUp: (eventId, reason) => log.warn({ eventId, reason }, 'the sandbox could not deliver an event'),
  });
  const subscribed = subscriptionFilter(manifestBotEvents(join(projectRoot(), 'manifest.yml')));
  const people = new WorkspacePeople({ workspace, delivery, clock: now, subscribed });
  const { store: musterStore } = app.deps;
  const issues = createSandboxIssues({
    github: github.fake,
    workspace,
    originOf: async (issueNumber) => {
      const followUp = await musterStore.followUps.findByIssue({
        tracker: 'github',
        issueId: String(issueNumber),
      });
      if (!followUp) return null;
      const [incident, action] = await Promise.all([
        musterStore.incidents.get(followUp.incidentNumber),
        musterStore.actions.get(followUp.actionId),
      ]);
      return {
        incidentNumber: followUp.incidentNumber,
        channelId: incident?.channelId ?? null,
        issueKey: followUp.issue?.key ?? null,
        actionDone: (action?.doneAt ?? null) !== null,
      };
    },
    changed: () => page.changed(),
  });
  /** The GitHub issues Muster linked to action items, from its database (to make them again after a restart). */
  const linkedIssues = async (): Promise<LinkedIssue[]> => {
    const linked: LinkedIssue[] = [];
    for (const incident of await musterStore.incidents.all()) {
      for (const f of await musterStore.followUps.ofIncident(incident.number)) {
        if (f.issue?.tracker !== 'github') continue;
        const action = await musterStore.actions.get(f.actionId);
        if (!action) continue;
        linked.push({
          key: f.issue.key,
          title: action.text,
          done: action.doneAt !== null,
          ownerEmail: action.ownerId ? (workspace.user(action.ownerId)?.email ?? null) : null,
          createdAt: f.createdAt,
        });
      }
    }
    return linked;
  };
  const page = createSandboxPage({
    workspace,
    people,
    uiDir: join(packageRoot(), 'ui'),
    announceChannel: INCIDENTS_CHANNEL_ID,
    channelPrefix: config.INCIDENT_CHANNEL_PREFIX,
    incidentIn: async (channelId) => musterStore.incidents.byChannel(channelId),
    issues: () => issues.issues(),
    issuePagePath: ISSUE_PAGE_PATH,
  });
  const slackApi = createSlackApiHandler(workspace, {
    clock: now,
    onError: (err) => log.error({ err }, 'the sandbox Slack API failed'),
  });
  // every route on this server and the metrics server, Muster's own included, is for this machine alone (see local-host-check.ts)
  app.gate(localHostCheck(host));
  app.http.fallback(pagerduty.fake.handle);
  app.http.fallback((req, res) => github.fake.handle(req, res));
  app.http.fallback(issues.handle);
  app.http.fallback(slackApi);
  app.http.fallback(page.handle);
  const saver = new WorkspaceSaver(workspace, store, now, 250, (err) =>
    log.error({ err }, 'could not save the sandbox workspace'),
  );
  const idle = async () => {
    do {
      await people.idle();
      await app.idle();
    } while (delivery.busy);
  };
  /** Closes everything this sandbox opened, saving what changed in the workspace. */
  const shutdown = async () => {
    page.close();
    pagerduty.fake.close();
    // the app's last Slack calls go to this same server, which refuses requests once the app stops
    await idle();
    people.detach();
    delivery.close();
    saver.stop();
    try {
      await app.stop();
    } finally {
      store.close();
    }
  };
  try {
    await app.start(port, host);
  } catch (e) {
    // nothing was saved or scheduled yet: what was opened is closed, and a retry starts afresh
    await shutdown();
    throw e;
  }
  if (!restored) saver.save();
  try {
    restoreIssues(github.fake, await linkedIssues());
  } catch (err) {
    log.warn({ err }, "could not make the sandbox GitHub's issues again from Muster's records");
  }
  pagerduty.fake.autoAcknowledge({
    afterMs: opts.acknowledgeAfterMs ?? 5000,
    webhookUrl: `${local}/pagerduty/webhook`,
    secret: webhookSecret,
  });
  if (!isLoopback(host)) {
    log.warn(
      { host, port },
      `the sandbox is reachable from the network at ${httpAddress(host, port)} (HOST is set)`,
    );
  }
  log.info(
    { host, port, restored, catalog, database: config.DATABASE_URL, stateFile },
    'sandbox workspace ready',
  );

  return {
    app,
    url: `${local}/`,
    port,
    host,
    workspace,
    pagerduty: pagerduty.fake,
    github: github.fake,
    issues,
    people,
    stateFile,
    restored,
    catalog,
    idle,
    stop: shutdown,
  };
}
