import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The fast tier: domain rules, use cases on in-memory ports, the store contract, and adapter tests that need
 * no server, no child process, no worker thread and no file-system watching. `npm run test:unit` runs it in
 * seconds. A test file not listed here runs in e2e, so a new or moved file is never left out.
 */
const UNIT = [
  'test/domain/**/*.test.ts',
  'test/adapters/report/*.test.ts',
  // every use-case test but the two that run the real app or a fake Slack server
  'test/app/**/!(incident-lifecycle-use-cases|message-permalink).test.ts',
  // the store contract, but on PostgreSQL (pg-*.test.ts: it starts a server)
  'test/contract/**/!(pg-*).test.ts',
  // every store test but those that start a PostgreSQL server (pg-*.test.ts)
  'test/adapters/store/**/!(pg-*).test.ts',
  'test/adapters/log.test.ts',
  'test/lazy-bolt-requires.test.ts',
  'test/adapters/http/command-rate-limit.test.ts',
  'test/adapters/catalog/{load-catalog,match-title,runbook-skeleton}.test.ts',
  'test/adapters/pagerduty/{page-payload,retry-policy,signature,webhook-event}.test.ts',
  'test/adapters/trackers/{issue-draft,jira-webhook}.test.ts',
  'test/adapters/render/{blameless-check,markdown-escape,postmortem-golden,postmortem-renderer,slack-text,time-format}.test.ts',
  'packages/sandbox/test/{demo-links,sandbox-mentions,sandbox-mrkdwn,sandbox-payload-parts}.test.ts',
  'test/adapters/slack/{block-limits,event-processor,mrkdwn,request-signature,text-fit,timeline-messages}.test.ts',
  'test/adapters/slack/open-actions-blocks.test.ts',
  'test/adapters/web/{web-builders,session-cookie,next-path,id-token}.test.ts',
  'test/adapters/slack/{app-home-blocks,app-home-publisher,manifest-subscriptions}.test.ts',
];

/** The sandbox page and the incidents web page in Chromium, checked with axe (test/support/chromium.ts). */
const BROWSER = [
  'packages/sandbox/test/e2e/sandbox-browser.test.ts',
  'packages/sandbox/test/e2e/sandbox-page-checks.test.ts',
  'packages/sandbox/test/e2e/sandbox-sev1-story.test.ts',
  'test/e2e/web-browser.test.ts',
  'packages/sandbox/test/e2e/sandbox-home-browser.test.ts',
];

/**
 * The end-to-end files that run a second time on PostgreSQL (one server for the run, a database per app): the
 * whole life of an incident through the port (paging included), and what people read from it (the incidents
 * web page with its insights, the App Home). Most others read SQLite's file or tables directly, or test what
 * is SQLite's own (its file, its lock, its log).
 */
const ON_POSTGRES = [
  'test/e2e/declare.test.ts',
  'test/e2e/incident-lifecycle.test.ts',
  'test/e2e/incident-reminders.test.ts',
  'test/e2e/impact-times.test.ts',
  'test/e2e/timeline.test.ts',
  'test/e2e/actions.test.ts',
  'test/e2e/responders-loop.test.ts',
  'test/e2e/postmortem-golden.test.ts',
  'test/e2e/oncall.test.ts',
  'test/e2e/follow-up-reminders.test.ts',
  'test/e2e/web-pages.test.ts',
  'test/e2e/app-home.test.ts',
  'test/e2e/paging.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two at once on two cores. Three overlapped more of the files' waits on sockets, child processes and
    // PostgreSQL, but each project then loads and transforms the app in one more worker: measured side by side,
    // three took a minute more of CPU (user 6 min 27 s against 5 min 30 s) for the same wall time, and the
    // type check that npm test runs beside vitest (scripts/test.mjs) needs that CPU. Every project shares
    // the setting (vitest runs projects of one group with a single worker limit).
    maxWorkers: 2,
    // Transformed modules are kept on disk (node_modules/.experimental-vitest-cache), so each worker after the
    // first that loads the app reads them instead of transforming the TypeScript again: measured, the run's
    // transform time went from 23 s to 14 s on a fresh clone and 7 s on the next run.
    experimental: { fsModuleCache: true },
    reporters: ['default'],
    projects: [
      {
        extends: true,
        // Loading the modules again for every file cost more than the tests themselves: unit files share a
        // worker's modules, so they keep no module-level state and replace no module (no vi.mock).
        test: { name: 'unit', include: UNIT, isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          // As for unit files: the app is built anew by each test (buildApp), so files share a worker's
          // modules instead of importing Bolt, drizzle and the app again for each (a minute and a half of CPU).
          isolate: false,
          include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...UNIT, ...BROWSER],
          // its processes run the built server, as `npm start` does: built first when stale
          globalSetup: ['test/support/build-global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e-postgres',
          isolate: false,
          include: ON_POSTGRES,
          env: { MUSTER_TEST_ENGINE: 'postgres' },
          globalSetup: ['test/support/pg-global-setup.ts'],
        },
      },
      { extends: true, test: { name: 'browser', isolate: false, include: BROWSER } },
    ],
  },
});
