/**
 * The ports a use-case test needs, all in memory: the in-memory store, a fixed clock, a recording notifier and
 * Chat, a silent log, counting metrics, the user directory over them, and empty hook lists. No HTTP, no file,
 * no process: a use case runs in well under a millisecond. Ports a unit test has no business using
 * (PagerDuty, the catalog, the postmortem renderer, the Slack presenter, after-ack work) throw as soon as they are touched; a test
 * that needs them belongs with the harness (muster-harness.ts).
 */
import { CachedChannelMembership } from '../../src/app/incident/channel-membership.js';
import { MemoryStore } from '../../src/adapters/memory/memory-store.js';
import type { IncidentHooks } from '../../src/app/incident/hooks.js';
import { CachedUserDirectory } from '../../src/app/incident/user-directory.js';
import type { Ports } from '../../src/app/ports.js';
import { loadConfig } from '../../src/config.js';
import type { CoreMetrics, Counter, Log, ServiceCatalog } from '../../src/domain/ports.js';
import { RecordingChat } from '../fakes/recording-chat.js';
import { RecordingNotifier } from '../fakes/recording-notifier.js';
import { FixedClock } from './fixed-clock.js';

/** A log that writes nothing. */
export const silentLog: Log = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLog,
};

/** A counter that keeps each increment, so a test can ask what was counted. */
export class CountingCounter<L extends string = string> implements Counter<L> {
  readonly increments: { labels: Partial<Record<L, string>>; value: number }[] = [];

  inc(labels: Partial<Record<L, string>>, value = 1): void {
    this.increments.push({ labels: { ...labels }, value });
  }

  /** The sum of the increments whose labels include `labels`. */
  total(labels: Partial<Record<L, string>> = {}): number {
    return this.increments
      .filter((i) => Object.entries(labels).every(([k, v]) => i.labels[k as L] === v))
      .reduce((sum, i) => sum + i.value, 0);
  }
}

/** CoreMetrics as counters a test can read. */
export class CountingMetrics implements CoreMetrics {
  readonly incidentsDeclared = new CountingCounter<'severity'>();
  readonly eventsReceived = new CountingCounter<'source' | 'outcome'>();
  readonly pagesSent = new CountingCounter<'kind' | 'via'>();
  readonly pagesFailed = new CountingCounter<'kind' | 'via'>();
}

/** A port a unit test did not wire: reading any member of it fails with a clear message. */
function unwired<T>(name: string): T {
  return new Proxy(
    {},
    {
      get(_target, member) {
        // a promise check (await, vitest's matchers) asks for `then`: answer that this is not a promise
        if (member === 'then') return undefined;
        throw new Error(`unit ports: ${name}.${String(member)} is not wired; run this test on the harness`);
      },
    },
  ) as T;
}

/** The in-memory ports, typed as what they are so a test can read what they recorded. */
export interface UnitPorts extends Ports {
  store: MemoryStore;
  clock: FixedClock;
  chat: RecordingChat;
  notifier: RecordingNotifier;
  metrics: CountingMetrics;
}

/** Builds fresh in-memory ports; `hooks` adds declare, provisioned, resolved or headline hooks. */
export function unitPorts(
  options: { now?: number; hooks?: Partial<IncidentHooks>; catalog?: ServiceCatalog | null } = {},
): UnitPorts {
  const store = new MemoryStore();
  const clock = new FixedClock(options.now);
  const chat = new RecordingChat();
  return {
    instanceId: 'unit-instance',
    // a Slack app's configuration: tokens set, so not the sandbox
    config: loadConfig({ SLACK_BOT_TOKEN: 'xoxb-unit', SLACK_SIGNING_SECRET: 'unit-signing-secret' }),
    store,
    chat,
    clock,
    log: silentLog,
    metrics: new CountingMetrics(),
    notifier: new RecordingNotifier(),
    users: new CachedUserDirectory(store, chat, clock),
    membership: new CachedChannelMembership(chat, clock),
    presenter: unwired('presenter'),
    hooks: { declare: [], provisioned: [], resolved: [], headline: [], ...options.hooks },
    afterAck: unwired('afterAck'),
    // no catalog file unless the test gives one (runbook files are not read here)
    catalog: {
      current: options.catalog ?? null,
      path: 'catalog.yaml',
      readRunbook: async () => {
        throw new Error('unit ports: runbook files are not read here; run this test on the harness');
      },
    },
    pager: unwired('pager'),
    postmortem: unwired('postmortem'),
    trackers: unwired('trackers'),
  };
}
