/**
 * Declaring an incident: the incident, its commander and its first timeline entries are stored in one
 * transaction before Slack is answered; the channel, headline, topic and announcement follow after the ack
 * (`provisionIncident`), and an interrupted provisioning is resumed at the next start.
 */
import { incidentChannelName } from '../../domain/channel-name.js';
import { incidentRef, type Incident, type Severity, severityLabel } from '../../domain/incident.js';
import { ChatError } from '../../domain/ports.js';
import { handover } from '../../domain/roles.js';
import { announcementMessage, headlineMessage, topicFor } from '../../adapters/slack/blocks/headline.js';
import { slackPlain, slackText } from '../../adapters/slack/mrkdwn.js';
import type { Ports } from '../ports.js';
import { headlineView } from './headline.js';
import { bestEffort } from '../../adapters/slack/notices/headline-refresh.js';

export interface DeclareInput {
  title: string;
  severity: Severity;
  description?: string;
  teamId: string;
  userId: string;
  /** where to answer the declarer once the channel exists */
  responseUrl?: string | null;
  fromChannelId?: string | null;
  /** catalog service names chosen in the declare modal; attached with those named in the title */
  services?: readonly string[];
}

/** Stores a new incident with the declarer as commander. Synchronous: safe to call before the ack. */
export function declareIncident(deps: Ports, input: DeclareInput): Incident {
  const now = deps.clock.now();
  const incident = deps.store.tx(() => {
    const inc = deps.store.incidents.create({
      title: input.title,
      description: input.description ?? '',
      severity: input.severity,
      teamId: input.teamId,
      declaredBy: input.userId,
      declaredAt: now,
      declareResponseUrl: input.responseUrl ?? null,
      declareChannelId: input.fromChannelId ?? null,
    });
    deps.store.incidents.assignRole(inc.number, 'ic', input.userId, input.userId, now);
    deps.store.timeline.add(
      {
        incidentNumber: inc.number,
        kind: 'declared',
        text: `Declared ${severityLabel(inc.severity)}: ${inc.title}`,
        actor: input.userId,
        occurredAt: now,
        sourceKey: 'declared',
        meta: { severity: inc.severity, status: 'investigating' },
      },
      now,
    );
    // the declarer typed the command, so Slack knows them as a person: the handover rules cannot refuse them
    const commander = handover({
      incidentNumber: inc.number,
      holders: {},
      role: 'ic',
      userId: input.userId,
      candidate: { id: input.userId, isBot: false, deleted: false },
      by: input.userId,
      now,
    });
    deps.store.timeline.add(commander.entry, now);
    for (const hook of deps.hooks.declare) hook(deps, inc, input);
    return inc;
  });
  deps.metrics.incidentsDeclared.inc({ severity: `sev${incident.severity}` });
  deps.log.info({ incident: incident.number, severity: incident.severity }, 'incident declared');
  return incident;
}

/** Suffixes tried after `name_taken`. */
const MAX_NAME_ATTEMPTS = 6;

/**
 * Creates the channel (suffixing the name on `name_taken`), invites the declarer, posts and pins the
 * headline, sets the topic, announces, and answers the declarer. Idempotent: steps already done are skipped.
 */
export async function provisionIncident(
  deps: Ports,
  number: number,
  declarer: { responseUrl?: string | null } = {},
): Promise<void> {
  let incident = deps.store.incidents.get(number);
  if (!incident) return;
  const log = deps.log.child({ incident: number });
  if (!incident.channelId) {
    let created: { id: string; name: string } | null = null;
    for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS && !created; attempt++) {
      const suffix = attempt === 1 ? undefined : String(attempt);
      // the title is Slack text: named from what people read (`a < b`), not from its entities (`a &lt; b`)
      const name = incidentChannelName(
        deps.config.INCIDENT_CHANNEL_PREFIX,
        number,
        slackPlain(incident.title),
        suffix,
      );
      try {
        created = await deps.chat.createChannel(name);
      } catch (e) {
        if (e instanceof ChatError && e.code === 'name_taken') {
          log.info({ name }, 'channel name taken; trying a suffix');
          continue;
        }
        log.error({ err: e }, 'could not create the incident channel');
        await tellDeclarer(deps, declarer.responseUrl, {
          text: `:x: ${incidentRef(number)} is recorded, but Slack refused to create its channel (${
            e instanceof ChatError ? e.code : 'error'
          }). Muster will try again when it restarts; meanwhile the incident is in \`/incident list\`.`,
        });
        throw e;
      }
    }
    if (!created) {
      await tellDeclarer(deps, declarer.responseUrl, {
        text: `:x: ${incidentRef(number)} is recorded, but every channel name tried was taken. Rename or archive old channels and try again.`,
      });
      throw new ChatError('conversations.create', 'name_taken');
    }
    incident = deps.store.incidents.update(
      number,
      { channelId: created.id, channelName: created.name },
      deps.clock.now(),
    );
    log.info({ channel: created.name }, 'incident channel created');
  }
  const channelId = incident.channelId!;
  const failures: [string, () => Promise<unknown>][] = [];
  try {
    await deps.chat.invite(channelId, [incident.declaredBy]);
  } catch (e) {
    failures.push(['invite the commander', () => Promise.reject(e)]);
  }
  if (!incident.headlineTs) {
    const posted = await deps.chat.post(channelId, headlineMessage(headlineView(deps, incident)));
    incident = deps.store.incidents.update(number, { headlineTs: posted.ts }, deps.clock.now());
  }
  const inc = incident;
  const steps: [string, () => Promise<unknown>][] = [
    ...failures,
    ['pin the headline', () => deps.chat.pin(channelId, inc.headlineTs!)],
    [
      'set the topic',
      async () => {
        const ic = deps.store.incidents.holders(number).ic;
        await deps.chat.setTopic(channelId, topicFor(inc, ic ? await deps.users.name(ic) : null));
      },
    ],
  ];
  const announce = deps.config.INCIDENT_ANNOUNCE_CHANNEL;
  if (announce && !inc.announceTs) {
    steps.push([
      'announce',
      async () => {
        const posted = await deps.chat.post(
          announce,
          announcementMessage(inc, deps.store.incidents.holders(number)),
        );
        deps.store.incidents.update(number, { announceTs: posted.ts }, deps.clock.now());
      },
    ]);
  }
  await bestEffort(deps, inc, steps);
  deps.store.incidents.markProvisioned(number, deps.clock.now(), 'followups');
  await tellDeclarer(deps, declarer.responseUrl, {
    text: `:rotating_light: ${`${incidentRef(number)}: ${slackText(inc.title)}`} is open in <#${channelId}>. You are the incident commander.`,
  });
  await runFollowUps(deps, number);
}

/**
 * The follow-ups of declaring (runbooks posted, team channels told, automatic pages sent). Marked done only
 * after they ran, so a crash in between runs them again at the next start: at least once, never lost.
 */
async function runFollowUps(deps: Ports, number: number): Promise<void> {
  for (const hook of deps.hooks.provisioned) {
    try {
      await hook(deps, deps.store.incidents.get(number)!);
    } catch (e) {
      deps.log.warn({ incident: number, err: e }, 'a follow-up of declaring failed');
    }
  }
  deps.store.incidents.markProvisioned(number, deps.clock.now(), 'done');
}

async function tellDeclarer(
  deps: Ports,
  responseUrl: string | null | undefined,
  message: { text: string },
): Promise<void> {
  if (!responseUrl) return;
  try {
    await deps.chat.respond(responseUrl, { ...message, ephemeral: true });
  } catch (e) {
    deps.log.warn({ err: e }, 'could not answer the declarer');
  }
}

/** Finishes provisioning interrupted by a restart. */
export async function resumeProvisioning(deps: Ports): Promise<void> {
  for (const p of deps.store.incidents.pendingProvisioning()) {
    try {
      if (p.provisioning === 'followups') await runFollowUps(deps, p.number);
      else await provisionIncident(deps, p.number, { responseUrl: p.declareResponseUrl });
    } catch (e) {
      deps.log.error({ incident: p.number, err: e }, 'resuming provisioning failed');
    }
  }
}
