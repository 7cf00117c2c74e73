/** An action item of INC-1 whose issue exists in the tracker: the starting point of the follow-up sync tests. */
import { recordAction } from '../../../src/app/postmortem/record-action.js';
import type { ActionItem } from '../../../src/domain/action-item.js';
import { type FollowUp, followUpKey } from '../../../src/domain/follow-up.js';
import type { Incident } from '../../../src/domain/incident.js';
import type { TrackerIssueRef } from '../../../src/domain/ports/tracker.js';
import type { UnitPorts } from '../../support/unit-ports.js';

export const OPS_12: TrackerIssueRef = {
  tracker: 'jira',
  id: '10012',
  key: 'OPS-12',
  url: 'https://acme.atlassian.net/browse/OPS-12',
};

/** Records `text` (owner U0BOB) and gives it the issue `issue`, created by the tracker outbox as the worker would. */
export async function linkedAction(
  ports: UnitPorts,
  incident: Incident,
  issue: TrackerIssueRef = OPS_12,
  text = 'alert on index lag',
): Promise<{ item: ActionItem; followUp: FollowUp }> {
  const { item } = await recordAction(ports, incident, {
    text,
    ownerId: 'U0BOB',
    priority: 'p1',
    due: null,
    actor: 'U0ALICE',
  });
  const now = ports.clock.now();
  await ports.store.followUps.queue({
    actionId: item.id,
    target: { tracker: 'jira', project: 'OPS', issueType: 'Task' },
    idempotencyKey: followUpKey('T0TEAM', item.id),
    now,
  });
  await ports.store.followUps.claimDue(now, { owner: 'worker', until: now + 20_000, limit: 10 });
  await ports.store.followUps.markCreated(item.id, 'worker', issue, now);
  return { item, followUp: (await ports.store.followUps.get(item.id))! };
}
