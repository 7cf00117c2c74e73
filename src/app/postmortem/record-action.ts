/** Action items: recorded with a timeline entry in one transaction; marked done from the `actions` list. */
import type { ActionItem } from '../../domain/action-item.js';
import type { Priority } from '../../domain/command.js';
import { DomainError } from '../../domain/errors.js';
import type { Incident } from '../../domain/incident.js';
import type { Ports } from '../ports.js';

export interface ActionInput {
  text: string;
  ownerId: string | null;
  priority: Priority;
  due: string | null;
  actor: string;
}

/** Refuses an owner Slack does not know, a deactivated one, or a bot (DomainError). */
export async function checkOwner(deps: Ports, ownerId: string | null): Promise<void> {
  if (!ownerId) return;
  const u = await deps.users.get(ownerId);
  if (!u || u.deleted)
    throw new DomainError(
      'action.unknown_owner',
      `<@${ownerId}> is not a person in this workspace: mention the owner with @.`,
    );
  if (u.isBot)
    throw new DomainError(
      'action.bot_owner',
      `<@${ownerId}> is a bot; an action item needs a person as owner.`,
    );
}

/** Stores an action item and its timeline entry in one transaction. */
export function recordAction(deps: Ports, incident: Incident, input: ActionInput): ActionItem {
  const now = deps.clock.now();
  return deps.store.tx(() => {
    const item = deps.store.actions.add({
      incidentNumber: incident.number,
      text: input.text,
      ownerId: input.ownerId,
      priority: input.priority,
      due: input.due,
      createdBy: input.actor,
      createdAt: now,
    });
    deps.store.timeline.add(
      {
        incidentNumber: incident.number,
        kind: 'action',
        text: `Action item (${input.priority.toUpperCase()}): ${input.text}${input.ownerId ? `, owner <@${input.ownerId}>` : ''}${
          input.due ? `, due ${input.due}` : ''
        }`,
        actor: input.actor,
        occurredAt: now,
        sourceKey: `action:${item.id}`,
        meta: { actionId: item.id, priority: input.priority, ownerId: input.ownerId, due: input.due },
      },
      now,
    );
    return item;
  });
}

/** Marks an item done (with a timeline entry); a second press is a no-op. */
export function completeAction(
  deps: Ports,
  actionId: number,
  actor: string,
): { item: ActionItem; changed: boolean } {
  const now = deps.clock.now();
  return deps.store.tx(() => {
    const item = deps.store.actions.get(actionId);
    if (!item) throw new DomainError('action.unknown', 'That action item no longer exists.');
    const changed = deps.store.actions.markDone(actionId, actor, now);
    if (changed) {
      deps.store.timeline.add(
        {
          incidentNumber: item.incidentNumber,
          kind: 'action',
          text: `Action item done: ${item.text}`,
          actor,
          occurredAt: now,
          sourceKey: `action-done:${item.id}`,
          meta: { actionId: item.id, done: true },
        },
        now,
      );
    }
    return { item: deps.store.actions.get(actionId)!, changed };
  });
}
