/**
 * Provisioning a declared incident, after the ack: the channel, the invitation of the declarer, the pinned
 * headline, the topic and the announcement, then the follow-ups (provisioned hooks). The incident row records
 * how far it got (`pending`, `followups`, `done`) and each id Slack handed back (channel, headline ts,
 * announcement ts), so an interrupted provisioning resumes where it stopped. The core does the operations
 * through the Chat port; the words are the presenter's, and the declarer is told by notices.
 *
 * Several instances may share the database: provisioning is held by a lease (PROVISION_LEASE_MS) from the
 * insert that declares, renewed while the instance works. When that instance dies, its lease runs out and the
 * periodic sweep of another instance finishes the provisioning ('abandoned'). One that failed (Slack refused
 * the channel) lets go of its lease and is tried again when an instance starts ('all'), as it was on one.
 */
import { incidentChannelName, privateChannelName } from '../../domain/channel-name.js';
import { ChatError } from '../../domain/ports.js';
import { whileRenewing } from '../lease.js';
import type { Ports } from '../ports.js';
import { bestEffort } from './best-effort.js';
import { announceChannelOf } from './private-announce.js';
import type { WithHooks } from './hooks.js';

/** What provisioning uses; the provisioned hooks are given the same ports. */
type ProvisionPorts = Pick<
  Ports,
  'instanceId' | 'store' | 'clock' | 'log' | 'config' | 'chat' | 'notifier' | 'presenter'
>;

/**
 * How long an instance holds an incident's provisioning without renewing it. The holder renews it every
 * LEASE_RENEW_MS (5 s) while it works, however long Slack makes it wait; the periodic sweep (every 5 s) of
 * another instance takes over within lease + interval (25 s) of the holder's death.
 */
export const PROVISION_LEASE_MS = 20_000;
/** Provisioning claimed by one sweep at most. */
const CLAIM_BATCH = 20;

/** Runs `work` while renewing this instance's lease on the incident's provisioning; a failure lets go of it. */
async function holdingProvisioning<T>(
  ports: Pick<Ports, 'instanceId' | 'store' | 'clock' | 'log'>,
  number: number,
  work: () => Promise<T>,
): Promise<T> {
  const owner = ports.instanceId;
  const log = ports.log.child({ incident: number });
  const renew = () =>
    ports.store.incidents.renewProvisioning(number, owner, ports.clock.now() + PROVISION_LEASE_MS);
  try {
    return await whileRenewing(log, 'provisioning', renew, work);
  } catch (e) {
    await ports.store.incidents
      .releaseProvisioning(number, owner)
      .catch((err) => log.warn({ err }, 'could not release the provisioning lease'));
    throw e;
  }
}

/** Suffixes tried after `name_taken`. */
const MAX_NAME_ATTEMPTS = 6;

/**
 * Creates the channel (suffixing the name on `name_taken`), invites the declarer, posts and pins the
 * headline, sets the topic, announces, and tells the declarer. Idempotent: steps already done are skipped.
 * Throws when the channel cannot be created or the headline cannot be posted (resumed at the next start).
 * The caller holds the provisioning's lease: the instance that declared, or the one that claimed it.
 */
export async function provisionIncident<P extends ProvisionPorts>(
  ports: WithHooks<P, 'provisioned'>,
  number: number,
  declarer: { responseUrl?: string | null; progress?: boolean } = {},
): Promise<void> {
  await holdingProvisioning(ports, number, () => provision(ports, number, declarer));
}

async function provision<P extends ProvisionPorts>(
  ports: WithHooks<P, 'provisioned'>,
  number: number,
  declarer: { responseUrl?: string | null; progress?: boolean },
): Promise<void> {
  let incident = await ports.store.incidents.get(number);
  if (!incident) return;
  const responseUrl = declarer.responseUrl ?? null;
  // the declarer was shown "Declaring…" through that URL: what they hear next takes its place
  const replacesProgress = Boolean(responseUrl && declarer.progress);
  const log = ports.log.child({ incident: number });
  if (!incident.channelId) {
    let created: { id: string; name: string } | null = null;
    for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS && !created; attempt++) {
      const suffix = attempt === 1 ? undefined : String(attempt);
      const prefix = ports.config.INCIDENT_CHANNEL_PREFIX;
      // a private incident's channel name says nothing of its title: channel names show in search and links
      const name = incident.private
        ? privateChannelName(prefix, number, suffix)
        : incidentChannelName(prefix, number, ports.presenter.plainTitle(incident), suffix);
      try {
        created = await ports.chat.createChannel(name, { isPrivate: incident.private });
      } catch (e) {
        if (e instanceof ChatError && e.code === 'name_taken') {
          log.info({ name }, 'channel name taken; trying a suffix');
          continue;
        }
        log.error({ err: e }, 'could not create the incident channel');
        const code = e instanceof ChatError ? e.code : 'error';
        await ports.notifier.notify([
          { kind: 'channel_not_created', incident, reason: 'refused', code, responseUrl, replacesProgress },
        ]);
        throw e;
      }
    }
    if (!created) {
      await ports.notifier.notify([
        {
          kind: 'channel_not_created',
          incident,
          reason: 'names_taken',
          code: 'name_taken',
          responseUrl,
          replacesProgress,
        },
      ]);
      throw new ChatError('conversations.create', 'name_taken');
    }
    incident = await ports.store.incidents.update(
      number,
      { channelId: created.id, channelName: created.name },
      ports.clock.now(),
    );
    log.info({ channel: created.name }, 'incident channel created');
  }
  const channelId = incident.channelId!;
  const failures: [string, () => Promise<unknown>][] = [];
  try {
    await ports.chat.invite(channelId, [incident.declaredBy]);
  } catch (e) {
    failures.push(['invite the commander', () => Promise.reject(e)]);
  }
  if (!incident.headlineTs) {
    const posted = await ports.chat.post(channelId, await ports.presenter.headline(incident));
    incident = await ports.store.incidents.update(number, { headlineTs: posted.ts }, ports.clock.now());
  }
  const inc = incident;
  const steps: [string, () => Promise<unknown>][] = [
    ...failures,
    ['pin the headline', () => ports.chat.pin(channelId, inc.headlineTs!)],
    ['set the topic', async () => ports.chat.setTopic(channelId, await ports.presenter.topic(inc))],
  ];
  const announce = announceChannelOf(ports.config, inc);
  if (announce && !inc.announceTs) {
    steps.push([
      'announce',
      async () => {
        const posted = await ports.chat.post(announce, await ports.presenter.announcement(inc));
        await ports.store.incidents.update(number, { announceTs: posted.ts }, ports.clock.now());
      },
    ]);
  }
  await bestEffort(ports, inc, steps);
  await ports.store.incidents.markProvisioned(number, ports.clock.now(), 'followups');
  await ports.notifier.notify([{ kind: 'incident_opened', incident: inc, responseUrl, replacesProgress }]);
  await runFollowUps(ports, number);
}

/**
 * The follow-ups of declaring (runbooks posted, team channels told, automatic pages sent). Marked done only
 * after they ran, so a crash in between runs them again at the next start: at least once, never lost.
 */
async function runFollowUps<P extends Pick<Ports, 'store' | 'clock' | 'log'>>(
  ports: WithHooks<P, 'provisioned'>,
  number: number,
): Promise<void> {
  for (const hook of ports.hooks.provisioned) {
    try {
      await hook(ports, (await ports.store.incidents.get(number))!);
    } catch (e) {
      ports.log.warn({ incident: number, err: e }, 'a follow-up of declaring failed');
    }
  }
  await ports.store.incidents.markProvisioned(number, ports.clock.now(), 'done');
}

/**
 * Finishes provisioning that was interrupted: `abandoned`, what an instance that died was doing (its lease is
 * over; the periodic sweep); `all`, also what failed or was never claimed (at start). Each is claimed first,
 * so two instances never provision one incident at once.
 */
export async function resumeProvisioning<P extends ProvisionPorts>(
  ports: WithHooks<P, 'provisioned'>,
  which: 'abandoned' | 'all',
): Promise<void> {
  const now = ports.clock.now();
  const claimed = await ports.store.incidents.claimProvisioning({
    owner: ports.instanceId,
    until: now + PROVISION_LEASE_MS,
    now,
    limit: CLAIM_BATCH,
    which,
  });
  for (const p of claimed) {
    try {
      if (p.provisioning === 'followups')
        await holdingProvisioning(ports, p.number, () => runFollowUps(ports, p.number));
      else await provisionIncident(ports, p.number, { responseUrl: p.declareResponseUrl });
      ports.log.info({ incident: p.number, which }, 'provisioning resumed');
    } catch (e) {
      ports.log.error({ incident: p.number, err: e }, 'resuming provisioning failed');
    }
  }
}
