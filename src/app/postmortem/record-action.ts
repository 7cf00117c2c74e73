/** Action items: recorded with a timeline entry in one transaction; marked done from the `actions` list. */
import type { ActionItem } from '../../domain/action-item.js';
import type { Priority } from '../../domain/command.js';
import { DomainError } from '../../domain/errors.js';
import type { Incident } from '../../domain/incident.js';
import type { Notice } from '../../domain/notices.js';
import { followUpKey } from '../../domain/follow-up.js';
import type { Ports } from '../ports.js';
import { followUpTarget } from '../follow-ups/follow-up-target.js';

export interface ActionInput {
  text: string;
  ownerId: string | null;
  priority: Priority;
  due: string | null;
  actor: string;
}

/** Refuses an owner Slack does not know, a deactivated one, or a bot (DomainError). */
export async function checkOwner(ports: Pick<Ports, 'users'>, ownerId: string | null): Promise<void> {
  if (!ownerId) return;
  const u = await ports.users.get(ownerId);
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

/**
 * Stores an action item and its timeline entry in one transaction, with the outbox row of its issue when the
 * incident's services (or the catalog) name a tracker; returns it and the `action_recorded` notice.
 */
export async function recordAction(
  ports: Pick<Ports, 'store' | 'clock' | 'catalog'>,
  incident: Incident,
  input: ActionInput,
): Promise<{ item: ActionItem; notices: Notice[] }> {
  const { store } = ports;
  const now = ports.clock.now();
  const target = await followUpTarget(ports, incident.number);
  const item = await store.tx(async () => {
    const added = await store.actions.add({
      incidentNumber: incident.number,
      text: input.text,
      ownerId: input.ownerId,
      priority: input.priority,
      due: input.due,
      createdBy: input.actor,
      createdAt: now,
    });
    await store.timeline.add(
      {
        incidentNumber: incident.number,
        kind: 'action',
        text: `Action item (${input.priority.toUpperCase()}): ${input.text}${input.ownerId ? `, owner <@${input.ownerId}>` : ''}${
          input.due ? `, due ${input.due}` : ''
        }`,
        actor: input.actor,
        occurredAt: now,
        sourceKey: `action:${added.id}`,
        meta: { actionId: added.id, priority: input.priority, ownerId: input.ownerId, due: input.due },
      },
      now,
    );
    if (target) {
      await store.followUps.queue({
        actionId: added.id,
        target,
        idempotencyKey: followUpKey(incident.teamId, added.id),
        now,
      });
    }
    return added;
  });
  return {
    item,
    notices: [{ kind: 'action_recorded', incident, item, by: input.actor, issueIn: target?.tracker ?? null }],
  };
}

/**
 * Marks an item done (with a timeline entry); a second press is a no-op and tells nothing. DomainError when
 * the item no longer exists.
 */
export async function completeAction(
  ports: Pick<Ports, 'store' | 'clock'>,
  actionId: number,
  actor: string,
): Promise<{ item: ActionItem; changed: boolean; notices: Notice[] }> {
  const { store } = ports;
  const now = ports.clock.now();
  return store.tx(async () => {
    const item = await store.actions.get(actionId);
    if (!item) throw new DomainError('action.unknown', 'That action item no longer exists.');
    const changed = await store.actions.markDone(actionId, actor, now);
    if (changed) {
      await store.timeline.add(
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
    const done = (await store.actions.get(actionId))!;
    const incident = changed ? await store.incidents.get(item.incidentNumber) : null;
    const notices: Notice[] = incident ? [{ kind: 'action_done', incident, item: done, by: actor }] : [];
    return { item: done, changed, notices };
  });
}
