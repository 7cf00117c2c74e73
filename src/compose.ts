/**
 * Wires the ports to their adapters and returns a ready app. It never listens: `start()` does, on the port
 * it is given (0 in tests), so tests start as many apps as they need.
 */
import { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import { type Config, isPostgresUrl, listenHost } from './config.js';
import type { Chat, Clock, IncidentStore, Notifier } from './domain/ports.js';
import { systemClock } from './domain/ports.js';
import { AfterAck } from './runtime/after-ack.js';
import { answerWithin } from './runtime/answer-within.js';
import { resumeProvisioning } from './app/incident/provision-incident.js';
import { servicesHeadline } from './app/catalog/incident-services.js';
import { attachDeclaredServices } from './app/catalog/attach-services.js';
import { announceDeclaredServices } from './app/catalog/announce-services.js';
import type { IncidentHooks } from './app/incident/hooks.js';
import { autoPageOnDeclare, tellUnpagedServices } from './app/paging/auto-page.js';
import type { Ports } from './app/ports.js';
import { CachedUserDirectory } from './app/incident/user-directory.js';
import { postmortemHeadline } from './app/postmortem/publish-postmortem.js';
import { resumeUploads } from './app/postmortem/share-draft.js';
import { PeriodicJobs } from './runtime/periodic-jobs.js';
import { newInstanceId } from './runtime/instance.js';
import { IncidentChannels } from './app/timeline/incident-channels.js';
import { retentionJob } from './app/timeline/retention.js';
import { runReminders } from './app/incident/reminders.js';
import { overdueRemindersJob } from './app/follow-ups/overdue-reminders.js';
import { promptEscalations } from './app/paging/escalation-prompts.js';
import { pageOutbox } from './app/paging/page-outbox.js';
import { deliverDeclaredPages, pagesHeadline, resolvePages } from './app/paging/paging.js';
import { isDeliveryDue } from './domain/notices/paging.js';
import { CommandRateLimit } from './adapters/http/command-rate-limit.js';
import { registerHealthRoutes, registerMetricsRoute } from './adapters/http/health.js';
import { CatalogStore } from './adapters/catalog/catalog-store.js';
import { Metrics } from './adapters/http/metrics.js';
import { HttpServer, type RequestGate } from './adapters/http/server.js';
import { createLogger, type Logger } from './adapters/log.js';
import { boltLogger } from './adapters/slack/bolt-logger.js';
import { createCommandListener } from './adapters/slack/command-listener.js';
import { registerEventHandlers } from './adapters/slack/events/index.js';
import { AppHomePublisher, changesHome } from './adapters/slack/app-home-publisher.js';
import { registerInteractions } from './adapters/slack/interactions/index.js';
import { EventProcessor } from './adapters/slack/event-processor.js';
import type { PinPacing } from './adapters/slack/notices/pin-pacing.js';
import { SlackNotifier } from './adapters/slack/notices/slack-notifier.js';
import { SlackIncidentPresenter } from './adapters/slack/incident-presenter.js';
import { CachedChannelMembership } from './app/incident/channel-membership.js';
import { SlackReceiver } from './adapters/slack/receiver.js';
import { WebChat } from './adapters/slack/web-chat.js';
import { checkPostmortemSources, WorkerDrafting } from './adapters/render/postmortem-drafting.js';
import { PagerDutyClient } from './adapters/pagerduty/client.js';
import { OutboxWorker } from './adapters/pagerduty/outbox-worker.js';
import { configuredTrackers } from './adapters/trackers/configured-trackers.js';
import { FollowUpWorker } from './adapters/trackers/follow-up-worker.js';
import { PagerDutyPager } from './adapters/pagerduty/pager.js';
import { applyPendingPagerDutyWebhooks, pagerDutyWebhookRoute } from './adapters/pagerduty/webhook-route.js';
import { GitHubWebhook } from './adapters/trackers/github-webhook.js';
import { JiraWebhook } from './adapters/trackers/jira-webhook.js';
import { LinearWebhook } from './adapters/trackers/linear-webhook.js';
import { type TrackerWebhookSetup, trackerWebhookRoute } from './adapters/trackers/webhook-route.js';
import { applyPendingTrackerWebhooks } from './app/follow-ups/apply-issue-change.js';
import { followUpPollJob } from './app/follow-ups/poll-issues.js';
import { openDb } from './adapters/store/db.js';
import { LocalAccess } from './adapters/web/local-access.js';
import type { Viewer, WebAccess } from './adapters/web/viewer.js';
import { SlackSignIn } from './adapters/web/slack-sign-in.js';
import { installedTeamOf } from './adapters/web/installed-team.js';
import { registerWebPages } from './adapters/web/web-routes.js';
import { sendAuthPage } from './adapters/web/auth-pages.js';
import { Store } from './adapters/store/store.js';
import { WalCheckpointer } from './adapters/store/wal-checkpointer.js';

export interface Overrides {
  clock?: Clock;
  /** where JSON logs go (tests capture them) */
  logDestination?: DestinationStream;
  /** the Slack WebClient's retry policy; tests shorten the waits */
  slackRetry?: { retries: number; minTimeout: number; maxTimeout: number };
  /** the busy timeout of the database, in ms */
  busyTimeoutMs?: number;
  /** backoff before retrying a failed postmortem upload, in ms */
  uploadBackoffMs?: number;
  /** how often periodic jobs run; 0 leaves them to `tick()` (tests) */
  tickIntervalMs?: number;
  /** random numbers in [0, 1) for retry jitter; tests fix them */
  random?: () => number;
  /** how long one tracker call may take (default 10 s); tests shorten it */
  trackerTimeoutMs?: number;
  /** how long one PagerDuty call may take (default 10 s); tests shorten it */
  pagerDutyTimeoutMs?: number;
  /** checkpoint the database's log from a worker thread (default true; see wal-checkpointer.ts) */
  backgroundCheckpoints?: boolean;
  /** the pace of the bot's ✅ on pinned messages (default Slack's Tier 3; see pin-pacing.ts) */
  pinPacing?: PinPacing;
  /** the store, opened already (PostgreSQL: see openStore); default: the SQLite file of DATABASE_URL */
  store?: IncidentStore;
  /** this instance's id among those sharing the database (default: host, pid and a random part) */
  instanceId?: string;
  /** serve the web page without sign-in, to this person (the sandbox, which listens on this machine only) */
  localWebViewer?: Viewer;
  /** how long stopping waits for work in flight (default SHUTDOWN_GRACE_MS); tests shorten it */
  shutdownGraceMs?: number;
}

/**
 * How long stopping waits for the work in flight: the acknowledged events being handled and what was started
 * after an answer (a channel being created, a page being sent, an announcement), Slack's retries included. A
 * Slack outage can hold one call for a minute and more, past the 30 s an orchestrator usually allows after
 * SIGTERM: the database is closed after this long instead of the process being killed. What was cut short is
 * stored (an unprocessed event, a channel not yet provisioned, a page in the outbox) under a lease, and is
 * taken up again once the lease runs out (20 s to a minute), after a restart or by another instance, as after
 * a crash.
 */
export const SHUTDOWN_GRACE_MS = 20_000;

/**
 * Opens the PostgreSQL store of a postgres:// DATABASE_URL (its pool, then pending migrations under an
 * advisory lock); undefined for a SQLite file, which buildApp opens itself. Rejects when the server cannot be
 * reached or a migration fails.
 */
export async function openStore(
  config: Pick<Config, 'DATABASE_URL' | 'DATABASE_POOL_SIZE'>,
  onConnectionError?: (error: Error) => void,
): Promise<IncidentStore | undefined> {
  if (!isPostgresUrl(config.DATABASE_URL)) return undefined;
  const { openPgStore } = await import('./adapters/store/pg/pg-store.js');
  return openPgStore(config.DATABASE_URL, {
    poolSize: config.DATABASE_POOL_SIZE,
    ...(onConnectionError ? { onConnectionError } : {}),
  });
}

export interface MusterApp {
  config: Config;
  deps: Ports;
  /** the store behind `deps.store` */
  store: IncidentStore;
  /** the same store when the engine is SQLite (its database handle, for the WAL checkpointer and tests); else null */
  sqlite: Store | null;
  /** the catalog adapter behind `deps.catalog`: main.ts reloads it on SIGHUP */
  catalog: CatalogStore;
  http: HttpServer;
  /** Adds a check that runs before every route of both servers, the app's and the metrics'. */
  gate(check: RequestGate): void;
  bolt: App;
  events: EventProcessor;
  /** the worker delivering the PagerDuty outbox (tests read its circuit breaker) */
  outbox: OutboxWorker;
  /** this process's id: the owner of the inbox and outbox rows it claims (runtime/instance.ts) */
  instanceId: string;
  log: Logger;
  /** Where `GET /metrics` is served once started (METRICS_HOST, METRICS_PORT); null when off or stopped. */
  readonly metricsAddress: AddressInfo | null;
  /**
   * Listens on `port` (0: any free port) at `host` (default: HOST, else 0.0.0.0, or 127.0.0.1 in the sandbox)
   * and finishes work left by a previous run; returns the port.
   */
  start(port?: number, host?: string): Promise<number>;
  /** Runs every periodic job once (reminders, outbox, escalations); tests call it after moving the clock. */
  tick(): Promise<void>;
  jobs: PeriodicJobs;
  /** Resolves when no background work or queued event remains. */
  idle(): Promise<void>;
  /** Stops accepting, finishes in-flight work, closes the database. */
  stop(): Promise<void>;
}

/** Builds the whole app from a validated config. Throws when the database cannot be opened. */
export function buildApp(config: Config, overrides: Overrides = {}): MusterApp {
  const clock = overrides.clock ?? systemClock;
  // Inbound deliveries and outbox rows are claimed by row under this id (runtime/instance.ts).
  const instanceId = overrides.instanceId ?? newInstanceId();
  let catalog: CatalogStore | null = null;
  const log = createLogger({
    level: config.LOG_LEVEL,
    secrets: () => [
      config.SLACK_BOT_TOKEN,
      config.SLACK_SIGNING_SECRET,
      config.SLACK_APP_TOKEN,
      config.PAGERDUTY_API_TOKEN,
      config.PAGERDUTY_WEBHOOK_SECRET,
      config.GITHUB_TOKEN,
      config.GITHUB_WEBHOOK_SECRET,
      config.JIRA_API_TOKEN,
      config.JIRA_WEBHOOK_SECRET,
      config.LINEAR_API_KEY,
      config.LINEAR_WEBHOOK_SECRET,
      config.SLACK_CLIENT_SECRET,
      ...(catalog?.current?.secrets ?? []),
    ],
    ...(overrides.logDestination ? { destination: overrides.logDestination } : {}),
  });
  const metrics = new Metrics();
  catalog = new CatalogStore({
    path: config.CATALOG_PATH,
    env: config.env,
    log: log.child({ component: 'catalog' }),
    // The sandbox pages only its built-in PagerDuty: a catalog copied from catalog.example.yaml, its routing keys
    // not set, loads there with a warning. The bot refuses it, so that no page is lost for want of a key.
    unsetPaging: config.sandbox ? 'leave-out' : 'refuse',
  });
  // A broken catalog stops start-up here (CatalogError with the file, the path inside it and what was expected).
  catalog.load();
  // A template with a syntax error or an unknown field stops start-up here, not during an incident.
  const postmortemSources = checkPostmortemSources(config);
  if (isPostgresUrl(config.DATABASE_URL) && !overrides.store)
    throw new Error('a PostgreSQL DATABASE_URL is opened with openStore(config) before buildApp');
  const sqlite = overrides.store
    ? null
    : new Store(openDb(config.DATABASE_URL, { busyTimeoutMs: overrides.busyTimeoutMs ?? 5000 }));
  const store: IncidentStore = overrides.store ?? sqlite!;
  const postmortem = new WorkerDrafting(postmortemSources, { config, store });
  const http = new HttpServer(log, metrics);
  const events = new EventProcessor(store, clock, log, metrics, instanceId);
  if (!config.SLACK_BOT_TOKEN || !config.SLACK_SIGNING_SECRET) {
    throw new Error('Slack credentials are required to build the app');
  }
  const commandLimit = new CommandRateLimit(
    { perUser: config.COMMANDS_PER_MINUTE, perWorkspace: config.COMMANDS_PER_MINUTE_WORKSPACE },
    clock,
  );
  const receiver = new SlackReceiver({
    allowCommand: (teamId, userId, text) => commandLimit.take(teamId, userId, text),
    signingSecret: config.SLACK_SIGNING_SECRET,
    store,
    processor: events,
    clock,
    log,
    metrics,
    slackApiUrl: config.SLACK_API_URL,
    ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
  });
  const retry = overrides.slackRetry ?? { retries: 5, minTimeout: 500, maxTimeout: 15_000 };
  // One Web API client for everything Muster sends: it retries 5xx and network failures with jittered
  // backoff and pauses its queue for a rate limit's Retry-After.
  const web = new WebClient(config.SLACK_BOT_TOKEN, {
    slackApiUrl: config.SLACK_API_URL,
    timeout: 10_000,
    logger: boltLogger(log),
    retryConfig: { ...retry, factor: 2, randomize: true },
  });
  // Bolt would otherwise call auth.test before every request it handles (its lazy single-token authorize
  // is not cached): the bot's identity is looked up once at start instead.
  const identity: { botId?: string; botUserId?: string } = {};
  const bolt = new App({
    receiver,
    authorize: async () => ({ botToken: config.SLACK_BOT_TOKEN, ...identity }),
    logger: boltLogger(log),
    // Muster keeps its state in the database: Bolt's in-memory conversation store would only cost every
    // request a lookup (and a thrown "Conversation not found").
    convoStore: false,
    clientOptions: {
      slackApiUrl: config.SLACK_API_URL,
      timeout: 10_000,
      retryConfig: { ...retry, factor: 2, randomize: true },
    },
  });
  // App Homes are published through a client of their own: a rate-limited refresh of many Homes pauses only it.
  const homeWeb = new WebClient(config.SLACK_BOT_TOKEN, {
    slackApiUrl: config.SLACK_API_URL,
    timeout: 10_000,
    logger: boltLogger(log),
    retryConfig: { ...retry, factor: 2, randomize: true },
  });
  const chat: Chat = new WebChat(web, metrics, log, fetch, homeWeb);
  const afterAck = new AfterAck(log);
  // Shorter than the outbox lease (OUTBOX_LEASE_MS, 20 s): the worker refuses a lease a call could outlast.
  const pagerDutyTimeoutMs = overrides.pagerDutyTimeoutMs ?? 10_000;
  const pager = new PagerDutyPager(
    new PagerDutyClient({
      eventsUrl: config.PAGERDUTY_EVENTS_URL,
      apiUrl: config.PAGERDUTY_API_URL,
      ...(config.PAGERDUTY_API_TOKEN ? { token: config.PAGERDUTY_API_TOKEN } : {}),
      ...(config.PAGERDUTY_FROM ? { from: config.PAGERDUTY_FROM } : {}),
      timeoutMs: pagerDutyTimeoutMs,
      now: () => clock.now(),
    }),
  );
  // What other capabilities add to an incident's life, in the order they run: services are attached before
  // automatic paging reads them; pages go out once the channel exists to confirm them in.
  const hooks: IncidentHooks = {
    declare: [attachDeclaredServices, autoPageOnDeclare],
    provisioned: [announceDeclaredServices, deliverDeclaredPages, tellUnpagedServices],
    // the resolve of each open page waits in the outbox: the worker runs once the resolution is committed
    resolved: [
      async (ports, incident) => {
        if ((await resolvePages(ports, incident)).some(isDeliveryDue)) deliverSoon();
      },
    ],
    headline: [servicesHeadline, pagesHeadline, postmortemHeadline],
  };
  const slackNotifier = new SlackNotifier(() => deps, overrides.pinPacing);
  // Notices go to Slack; one that puts a page, resolve or escalation in the outbox also runs the worker now
  // rather than at its next tick.
  const presenter = new SlackIncidentPresenter(() => deps);
  // the App Home of its recent viewers is published again when something it shows changes
  const homes = new AppHomePublisher(() => deps);
  const notifier: Notifier = {
    notify(notices) {
      if (changesHome(notices)) homes.refreshSoon();
      if (notices.some(isDeliveryDue)) deliverSoon();
      if (notices.some((n) => n.kind === 'action_recorded' && n.issueIn)) createIssuesSoon();
      return slackNotifier.notify(notices);
    },
  };
  const deps: Ports = {
    instanceId,
    config,
    store,
    chat,
    clock,
    log,
    metrics,
    notifier,
    presenter,
    afterAck,
    users: new CachedUserDirectory(store, chat, clock),
    membership: new CachedChannelMembership(chat, clock),
    catalog,
    pager,
    postmortem,
    trackers: configuredTrackers(config, {
      now: () => clock.now(),
      ...(overrides.trackerTimeoutMs !== undefined ? { timeoutMs: overrides.trackerTimeoutMs } : {}),
    }),
    hooks,
    tuning: {
      ...(overrides.uploadBackoffMs !== undefined ? { uploadBackoffMs: overrides.uploadBackoffMs } : {}),
    },
  };

  const outbox = new OutboxWorker({
    pager,
    outbox: pageOutbox(deps, instanceId),
    callTimeoutMs: pagerDutyTimeoutMs,
    tell: (label, notices) => afterAck.run(label, () => notifier.notify(notices)),
    metrics,
    clock,
    log,
    ...(overrides.random ? { random: overrides.random } : {}),
  });
  /**
   * Delivers queued pages now rather than at the next periodic run; failures are logged. Called inside a
   * transaction, it starts once that has committed (so the worker sees the rows it queued); it starts on the
   * next turn of the event loop, so called before an ack it lets the ack go first.
   */
  function deliverSoon(): void {
    store.afterCommit(() =>
      afterAck.run('deliver pages', async () => {
        await new Promise((resolve) => setImmediate(resolve));
        await outbox.run();
      }),
    );
  }

  const followUps = new FollowUpWorker({
    ports: deps,
    count: (tracker, outcome) => metrics.followUpIssues.inc({ tracker, outcome }),
    owner: instanceId,
    tell: (notices) => afterAck.run('tell follow-up issues', () => notifier.notify(notices)),
    ...(overrides.random ? { random: overrides.random } : {}),
  });
  /** Creates queued follow-up issues now rather than at the next periodic run (after the ack, as deliverSoon). */
  function createIssuesSoon(): void {
    afterAck.run('create follow-up issues', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      await followUps.run();
    });
  }

  registerHealthRoutes(http, store);
  // Metrics have their own server (METRICS_PORT, on 127.0.0.1 unless METRICS_HOST says otherwise).
  const metricsHttp = config.METRICS_PORT === null ? null : new HttpServer(log, metrics);
  if (metricsHttp) registerMetricsRoute(metricsHttp, store, metrics);
  http.route('POST', '/slack/events', receiver.handleHttp, 'slack_events');
  http.route('POST', '/pagerduty/webhook', pagerDutyWebhookRoute(deps, instanceId), 'pagerduty_webhook');
  // What comes back from the trackers; `headers`: what each parser reads, kept with the stored delivery.
  const trackerWebhooks: TrackerWebhookSetup[] = [
    {
      path: '/webhooks/github',
      webhook: new GitHubWebhook(),
      secret: config.GITHUB_WEBHOOK_SECRET,
      secretVariable: 'GITHUB_WEBHOOK_SECRET',
      headers: ['x-github-event', 'x-github-delivery'],
    },
    {
      path: '/webhooks/jira',
      webhook: new JiraWebhook(),
      secret: config.JIRA_WEBHOOK_SECRET,
      secretVariable: 'JIRA_WEBHOOK_SECRET',
      headers: ['x-atlassian-webhook-identifier'],
    },
    {
      path: '/webhooks/linear',
      webhook: new LinearWebhook(() => clock.now()),
      secret: config.LINEAR_WEBHOOK_SECRET,
      secretVariable: 'LINEAR_WEBHOOK_SECRET',
      headers: ['linear-delivery'],
    },
  ];
  for (const t of trackerWebhooks)
    http.route('POST', t.path, trackerWebhookRoute(deps, instanceId, t), `${t.webhook.kind}_webhook`);
  const webAccess = webAccessOf(config, overrides, clock, log);
  if (webAccess) {
    registerWebPages(http, {
      ports: deps,
      access: webAccess,
      base: config.WEB_BASE_URL ? new URL(config.WEB_BASE_URL).pathname.replace(/\/+$/, '') : '',
      signsIn: !overrides.localWebViewer,
    });
  } else {
    // Not configured: say so to whoever opens it, rather than a bare 404.
    http.route(
      'GET',
      '/incidents',
      ({ res }) =>
        sendAuthPage(res, 404, {
          title: 'The web page is off',
          message:
            'Muster serves its incidents page once WEB_BASE_URL, SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set (Sign in with Slack).',
        }),
      'web_incidents',
    );
  }
  // which channel is which incident's, for notes and the events of incident channels (never stale: see its file)
  const channels = new IncidentChannels(store);
  receiver.handleCommands(createCommandListener(deps, channels, metrics));
  registerInteractions(bolt, deps);
  registerEventHandlers(events, deps, homes, channels);
  const jobs = new PeriodicJobs(deps);
  jobs.add('reminders', runReminders);
  jobs.add('pagerduty outbox', () => outbox.run());
  jobs.add('follow-up issues', () => followUps.run());
  jobs.add('page escalation prompts', async (ports) => ports.notifier.notify(await promptEscalations(ports)));
  // Both sweeps claim stored deliveries nobody holds: left by an instance that stopped, or failed before.
  jobs.add('pagerduty webhooks', (ports) => applyPendingPagerDutyWebhooks(ports, instanceId));
  jobs.add('tracker webhooks', (ports) => applyPendingTrackerWebhooks(ports, instanceId, trackerWebhooks));
  jobs.add('stored events', async () => {
    await events.recover();
  });
  // Provisioning whose instance died while it worked (its lease is over): another instance finishes it.
  jobs.add('abandoned provisioning', (ports) => resumeProvisioning(ports, 'abandoned'));
  // Postmortem drafts whose instance died before sharing them (their lease is over): another instance shares them.
  jobs.add('abandoned postmortem uploads', resumeUploads);
  jobs.add('retention', retentionJob());
  // Every linked issue of an open action item, every 15 minutes: the safety net for lost tracker deliveries.
  jobs.add('follow-up poll', followUpPollJob());
  jobs.add('overdue follow-ups', overdueRemindersJob());

  let checkpointer: WalCheckpointer | null = null;
  const idle = async () => {
    do {
      await events.idle();
      await afterAck.idle();
    } while (afterAck.size > 0 || events.busy);
  };

  return {
    config,
    deps,
    store,
    sqlite,
    catalog,
    http,
    gate(check: RequestGate) {
      http.gate(check);
      metricsHttp?.gate(check);
    },
    bolt,
    events,
    outbox,
    instanceId,
    log,
    jobs,
    get metricsAddress() {
      return metricsHttp?.address() ?? null;
    },
    async tick() {
      await jobs.tick();
      await idle();
    },
    async start(port = config.PORT, host = listenHost(config)) {
      const bound = await http.listen(port, host);
      try {
        if (metricsHttp) await listenForMetrics(metricsHttp, config);
        await bolt.start();
      } catch (e) {
        // Metrics could not listen, or Socket Mode could not connect (a refused app-level token): nothing
        // is left listening.
        await http.close();
        await metricsHttp?.close();
        throw e;
      }
      log.info(
        {
          host,
          port: bound,
          metricsPort: metricsHttp?.address()?.port ?? null,
          mode: config.SLACK_APP_TOKEN ? 'socket' : 'http',
        },
        'Muster is listening',
      );
      afterAck.run('learn the bot identity', async () => {
        const me = await web.auth.test();
        identity.botId = me.bot_id;
        identity.botUserId = me.user_id;
        // cached as a bot, so that the postmortem does not list Muster's own messages as a responder's
        if (me.user_id) await deps.users.get(me.user_id);
      });
      afterAck.run('recover events', () => events.recover());
      afterAck.run('resume provisioning', () => resumeProvisioning(deps, 'all'));
      afterAck.run('apply stored PagerDuty webhooks', () => applyPendingPagerDutyWebhooks(deps, instanceId));
      afterAck.run('apply stored tracker webhooks', () =>
        applyPendingTrackerWebhooks(deps, instanceId, trackerWebhooks),
      );
      afterAck.run('deliver pending pages', () => outbox.run());
      afterAck.run('create pending follow-up issues', () => followUps.run());
      jobs.start(overrides.tickIntervalMs ?? 5000);
      catalog.watch();
      if (sqlite && overrides.backgroundCheckpoints !== false) {
        checkpointer = new WalCheckpointer(sqlite.db, { onProblem: (problem) => log.warn(problem) });
      }
      return bound;
    },
    idle,
    async stop() {
      await http.close();
      await metricsHttp?.close();
      await bolt.stop();
      await jobs.stop();
      catalog.close();
      await postmortem.close();
      slackNotifier.close();
      const graceMs = overrides.shutdownGraceMs ?? SHUTDOWN_GRACE_MS;
      if (
        !(await answerWithin(
          idle().then(() => true),
          graceMs,
          false,
        ))
      )
        log.warn(
          { graceMs, inFlight: afterAck.size, handlingEvents: events.busy },
          'stopping with work still in flight: what it stored is taken up again once its lease runs out, after a restart or by another instance',
        );
      await checkpointer?.stop();
      await store.close();
      log.info('Muster stopped');
      log.flush();
    },
  };
}

/**
 * Who may see the web page: the sandbox's local person, or people of the installed workspace signed in with
 * Slack; null when the web page is not configured.
 */
function webAccessOf(config: Config, overrides: Overrides, clock: Clock, log: Logger): WebAccess | null {
  if (overrides.localWebViewer) return new LocalAccess(overrides.localWebViewer);
  if (!config.WEB_BASE_URL || !config.SLACK_CLIENT_ID || !config.SLACK_CLIENT_SECRET) return null;
  // Its own client for auth.test: one retry, so that a sign-in while Slack is down fails in seconds rather
  // than waiting through the bot client's backoff.
  const web = new WebClient(config.SLACK_BOT_TOKEN, {
    slackApiUrl: config.SLACK_API_URL,
    timeout: 10_000,
    logger: boltLogger(log),
    retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 1000 },
  });
  return new SlackSignIn({
    clientId: config.SLACK_CLIENT_ID,
    clientSecret: config.SLACK_CLIENT_SECRET,
    webBaseUrl: config.WEB_BASE_URL,
    slackApiUrl: config.SLACK_API_URL,
    installedTeam: installedTeamOf(web),
    clock,
    log: log.child({ component: 'web-sign-in' }),
  });
}

/** Thrown when the metrics server cannot listen; its message is the one line to print. */
export class MetricsListenError extends Error {}

async function listenForMetrics(metricsHttp: HttpServer, config: Config): Promise<void> {
  const where = `${config.METRICS_HOST}:${config.METRICS_PORT}`;
  try {
    await metricsHttp.listen(config.METRICS_PORT ?? 0, config.METRICS_HOST);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new MetricsListenError(
        `METRICS_PORT ${config.METRICS_PORT} is in use on ${config.METRICS_HOST} (another Muster? set METRICS_PORT to another port, or off)`,
      );
    }
    throw new MetricsListenError(
      `could not serve metrics on ${where} (METRICS_HOST, METRICS_PORT): ${(e as Error).message}`,
    );
  }
}
