/**
 * Retention: Slack events and PagerDuty webhooks are stored as they arrive (to process each exactly once),
 * and messages of incident channels are cached (so a reaction needs no Slack call). Both hold what people
 * wrote, so neither is kept longer than RETENTION_DAYS:
 * - an inbound delivery goes RETENTION_DAYS after it was processed (or after it arrived, when its processing
 *   gave up after the last retry); one still to be processed or retried is never deleted;
 * - a cached message goes RETENTION_DAYS after it was received, unless its incident is still open: while it
 *   is open, a reaction, edit or deletion of any of its messages must find the message (a deletion must be
 *   recognised when a late event about the message arrives). Once resolved, a message purged and reacted to
 *   later is read from Slack again.
 * - a person who opened the App Home is forgotten once they have not opened it for 30 days, the time after
 *   which their Home is no longer refreshed; opening it again records them again.
 * The timeline itself is the incident's record and is never purged.
 */
import { HOME_VIEWER_WINDOW_MS } from '../home/home-view.js';
import type { Ports } from '../ports.js';
import type { PeriodicJob } from '../../runtime/periodic-jobs.js';

const DAY_MS = 86_400_000;
/** The purge scans tables that have no index on the time it reads; once an hour is plenty for a retention in days. */
const PURGE_EVERY_MS = 60 * 60_000;

/**
 * Rows deleted per run and table: secure_delete zeroes what it deletes, so a first purge of a large backlog
 * goes in batches (one per periodic tick) rather than in one long transaction on the event loop.
 */
export const PURGE_BATCH = 2000;

/** Deletes up to PURGE_BATCH rows of each kind past retention; returns the counts. */
export async function purgeExpired(ports: Pick<Ports, 'store' | 'clock' | 'config' | 'log'>): Promise<{
  events: number;
  messages: number;
  homeViewers: number;
}> {
  const { store } = ports;
  const now = ports.clock.now();
  const before = now - ports.config.RETENTION_DAYS * DAY_MS;
  const purged = await store.tx(async () => ({
    events: await store.inbound.purge(before, PURGE_BATCH),
    messages: await store.messages.purge(before, PURGE_BATCH),
    homeViewers: await store.homeViewers.forget(now - HOME_VIEWER_WINDOW_MS, PURGE_BATCH),
  }));
  if (purged.events + purged.messages + purged.homeViewers > 0) {
    // secure_delete zeroed the rows in the database file; the write-ahead log still holds their pages.
    await store.eraseLog();
    ports.log.info(
      { ...purged, retentionDays: ports.config.RETENTION_DAYS },
      'purged records past retention',
    );
  }
  return purged;
}

/**
 * The periodic job: purges at most once an hour (by the clock), or at every tick while a backlog remains, and
 * retries emptying a busy write-ahead log.
 */
export function retentionJob(): PeriodicJob {
  let lastPurge: number | null = null;
  return async (ports) => {
    const now = ports.clock.now();
    if (lastPurge === null || now - lastPurge >= PURGE_EVERY_MS || now < lastPurge) {
      const purged = await purgeExpired(ports);
      const backlog = Object.values(purged).some((n) => n === PURGE_BATCH);
      lastPurge = backlog ? null : now;
    }
    if (!(await ports.store.eraseLogIfPending()))
      ports.log.warn('the write-ahead log still holds blanked text: a reader kept it busy; trying again');
  };
}
