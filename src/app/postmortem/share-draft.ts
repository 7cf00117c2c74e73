/**
 * Sharing a stored postmortem draft in its channel (the `postmortem_written` notice: the Slack notifier uploads
 * it, retrying, and tells the channel when it gives up) happens once across the instances sharing the database,
 * and is not lost with the instance doing it. The instance that drafts holds the draft from its insert
 * (UPLOAD_LEASE_MS), renews the lease while the upload and its retries run, and lets go once the draft is
 * uploaded or given up. When that instance dies first, its lease runs out and the periodic sweep of another
 * instance claims the draft and tells the same notice, rebuilt from what the draft stored: its markdown and the
 * figures its summary reports. Drafts stored before leases are left alone.
 */
import type { DraftFigures, PostmortemDraft, PostmortemRecord } from '../../domain/ports.js';
import { whileRenewing } from '../lease.js';
import type { Ports } from '../ports.js';

/**
 * How long an instance holds the sharing of a draft without renewing it. The holder renews it every
 * LEASE_RENEW_MS (5 s) while it uploads, however long Slack makes it wait; the periodic sweep (every 5 s) of another
 * instance takes over within lease + interval (25 s) of the holder's death.
 */
export const UPLOAD_LEASE_MS = 20_000;
/** Drafts claimed by one sweep at most (each is read with its markdown). */
const CLAIM_BATCH = 5;

/** What the summary shared with a draft reports, stored with the draft. */
export const figuresOf = (d: PostmortemDraft): DraftFigures => ({
  draft: d.draft,
  duration: d.duration,
  elapsed: d.elapsed,
  timelineCount: d.timelineCount,
  actionCount: d.actionCount,
});

/**
 * Runs `share` while renewing this instance's lease on sharing draft `p`; `share` records the outcome (uploaded
 * or given up), which ends the lease. Returns null without running it when this instance no longer holds the
 * draft: another took it over (this one stalled past its lease), or it was shared already.
 */
export async function holdingUpload<T>(
  ports: Pick<Ports, 'instanceId' | 'store' | 'clock' | 'log'>,
  p: PostmortemRecord,
  share: () => Promise<T>,
): Promise<T | null> {
  const log = ports.log.child({ incident: p.incidentNumber, postmortem: p.version });
  const renew = () =>
    ports.store.postmortems.renewUpload(p.id, ports.instanceId, ports.clock.now() + UPLOAD_LEASE_MS);
  if (!(await renew())) {
    log.info('postmortem draft not shared here: another instance holds it, or it was shared');
    return null;
  }
  return whileRenewing(log, 'postmortem upload', renew, share);
}

/**
 * Shares the drafts an instance died before uploading or giving up (their lease is over): each is claimed first,
 * so one instance shares it, once, through the same notice. A draft whose markdown was forgotten since (it
 * quoted a timeline entry that was deleted or redacted), or whose incident has no channel, is given up instead:
 * never shared empty.
 */
export async function resumeUploads(
  ports: Pick<Ports, 'instanceId' | 'store' | 'clock' | 'log' | 'notifier'>,
): Promise<void> {
  const now = ports.clock.now();
  const claimed = await ports.store.postmortems.claimAbandonedUploads({
    owner: ports.instanceId,
    until: now + UPLOAD_LEASE_MS,
    now,
    limit: CLAIM_BATCH,
  });
  for (const { postmortem, markdown, figures } of claimed) {
    const log = ports.log.child({ incident: postmortem.incidentNumber, postmortem: postmortem.version });
    try {
      const incident = await ports.store.incidents.get(postmortem.incidentNumber);
      if (!markdown || !incident?.channelId) {
        await ports.store.postmortems.markGivenUp(postmortem.id, ports.clock.now());
        log.warn(
          { reason: markdown ? 'no_channel' : 'content_forgotten' },
          'postmortem draft left by a stopped instance given up, not shared',
        );
        continue;
      }
      log.info('sharing a postmortem draft left by a stopped instance');
      await ports.notifier.notify([
        {
          kind: 'postmortem_written',
          incident,
          postmortem,
          draft: { markdown, ...figures },
          by: postmortem.requestedBy,
        },
      ]);
    } catch (e) {
      log.error({ err: e }, 'resuming a postmortem upload failed');
    }
  }
}
