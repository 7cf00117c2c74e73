/**
 * Work held by a lease on a row (provisioning an incident, sharing a postmortem draft): the holder renews the
 * lease while it works, however long Slack makes it wait, so another instance takes the work over only when the
 * holder is gone. See runtime/instance.ts for the leases and ARCHITECTURE.md, "Claimed by row".
 */
import type { Log } from '../domain/ports.js';

/** How often a holder renews its lease while it works: a quarter of the 20 s leases. */
export const LEASE_RENEW_MS = 5_000;

/**
 * Runs `work` while `renew` extends the lease every LEASE_RENEW_MS. A renewal that finds the lease gone while
 * `work` still runs (another instance took it over: this one stalled past it) is logged, as is one that fails;
 * `work` goes on either way. `what` names the lease in those lines.
 */
export async function whileRenewing<T>(
  log: Log,
  what: string,
  renew: () => Promise<boolean>,
  work: () => Promise<T>,
): Promise<T> {
  let finished = false;
  const renewing = setInterval(() => {
    renew()
      .then((held) => {
        // `work` lets go of the lease as it finishes: only a lease lost while it runs is news
        if (!held && !finished) log.warn(`${what} lease lost to another instance`);
      })
      .catch((err) => log.warn({ err }, `could not renew the ${what} lease`));
  }, LEASE_RENEW_MS);
  renewing.unref();
  try {
    return await work();
  } finally {
    finished = true;
    clearInterval(renewing);
  }
}
