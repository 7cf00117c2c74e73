/**
 * Provisioning a declared incident, after the ack: the channel, the invitation of the declarer, the pinned
 * headline, the topic and the announcement, then the follow-ups (provisioned hooks). The incident row records
 * how far it got (`pending`, `followups`, `done`) and each id Slack handed back (channel, headline ts,
 * announcement ts), so an interrupted provisioning resumes at the next start where it stopped. The core does
 * the operations through the Chat port; the words are the presenter's, and the declarer is told by notices.
 */
import { incidentChannelName } from '../../domain/channel-name.js';
import { ChatError } from '../../domain/ports.js';
import type { Ports } from '../ports.js';
import { bestEffort } from './best-effort.js';
import type { WithHooks } from './hooks.js';

/** What provisioning uses; the provisioned hooks are given the same ports. */
type ProvisionPorts = Pick<Ports, 'store' | 'clock' | 'log' | 'config' | 'chat' | 'notifier' | 'presenter'>;

/** Suffixes tried after `name_taken`. */
const MAX_NAME_ATTEMPTS = 6;

/**
 * Creates the channel (suffixing the name on `name_taken`), invites the declarer, posts and pins the
 * headline, sets the topic, announces, and tells the declarer. Idempotent: steps already done are skipped.
 * Throws when the channel cannot be created or the headline cannot be posted (resumed at the next start).
 */
export async function provisionIncident<P extends ProvisionPorts>(
  ports: WithHooks<P, 'provisioned'>,
  number: number,
  declarer: { responseUrl?: string | null; progress?: boolean } = {},
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
      const name = incidentChannelName(
        ports.config.INCIDENT_CHANNEL_PREFIX,
        number,
        ports.presenter.plainTitle(incident),
        suffix,
      );
      try {
        created = await ports.chat.createChannel(name);
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
  const announce = ports.config.INCIDENT_ANNOUNCE_CHANNEL;
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

/** Finishes provisioning interrupted by a restart. */
export async function resumeProvisioning<P extends ProvisionPorts>(
  ports: WithHooks<P, 'provisioned'>,
): Promise<void> {
  for (const p of await ports.store.incidents.pendingProvisioning()) {
    try {
      if (p.provisioning === 'followups') await runFollowUps(ports, p.number);
      else await provisionIncident(ports, p.number, { responseUrl: p.declareResponseUrl });
    } catch (e) {
      ports.log.error({ incident: p.number, err: e }, 'resuming provisioning failed');
    }
  }
}
