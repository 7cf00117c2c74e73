/**
 * Declaring an incident: the incident, its commander and its first timeline entries are stored in one
 * transaction before Slack is answered; the channel, headline, topic and announcement follow after the ack
 * (provision-incident.ts), which tells the declarer where the incident is.
 */
import { setImpactTimes, type ZoneRules } from '../../domain/impact.js';
import { type Incident, type Severity, severityLabel } from '../../domain/incident.js';
import { handover } from '../../domain/roles.js';
import type { Ports } from '../ports.js';
import type { WithHooks } from './hooks.js';
import { PROVISION_LEASE_MS } from './provision-incident.js';

export interface DeclareInput {
  title: string;
  severity: Severity;
  /** a private incident: private channel, redacted announcements (false when absent) */
  private?: boolean;
  description?: string;
  teamId: string;
  userId: string;
  /** where to answer the declarer once the channel exists */
  responseUrl?: string | null;
  fromChannelId?: string | null;
  /** catalog service names chosen in the declare modal; attached with those named in the title */
  services?: readonly string[];
  /** when customer impact began, as the declarer gave it (at or before now); `zone` writes it on the timeline */
  impact?: { at: number; zone: ZoneRules } | null;
}

/**
 * Stores a new incident with the declarer as commander, and runs the declare hooks in the same transaction.
 * Synchronous: safe to call before the ack. Nothing is told yet: provisioning, after the ack, does the telling.
 */
export async function declareIncident<
  P extends Pick<Ports, 'instanceId' | 'store' | 'clock' | 'log' | 'metrics'>,
>(ports: WithHooks<P, 'declare'>, input: DeclareInput): Promise<Incident> {
  const now = ports.clock.now();
  const incident = await ports.store.tx(async () => {
    let inc = await ports.store.incidents.create({
      title: input.title,
      description: input.description ?? '',
      severity: input.severity,
      private: input.private ?? false,
      teamId: input.teamId,
      declaredBy: input.userId,
      declaredAt: now,
      declareResponseUrl: input.responseUrl ?? null,
      declareChannelId: input.fromChannelId ?? null,
      // this instance provisions it after the ack; should it die first, another takes over once this lapses
      provisioningLease: { owner: ports.instanceId, until: now + PROVISION_LEASE_MS },
    });
    await ports.store.incidents.assignRole(inc.number, 'ic', input.userId, input.userId, now);
    await ports.store.timeline.add(
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
    await ports.store.timeline.add(commander.entry, now);
    if (input.impact) {
      const set = setImpactTimes(
        inc,
        [],
        { impactStartedAt: input.impact.at },
        input.userId,
        now,
        input.impact.zone,
      );
      inc = await ports.store.incidents.update(
        inc.number,
        { impactStartedAt: set.incident.impactStartedAt },
        now,
      );
      for (const e of set.entries) await ports.store.timeline.add(e, now);
    }
    for (const hook of ports.hooks.declare) await hook(ports, inc, input);
    return inc;
  });
  ports.metrics.incidentsDeclared.inc({ severity: `sev${incident.severity}` });
  ports.log.info({ incident: incident.number, severity: incident.severity }, 'incident declared');
  return incident;
}
