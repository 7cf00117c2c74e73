/** Registers the Events API handlers (messages, reactions, edits) on the durable event processor. */
import type { Ports } from '../../../app/ports.js';
import { MessagePermalinks } from '../../../app/timeline/message-permalink.js';
import type { EventProcessor } from '../event-processor.js';
import { onMessageEvent, onReactionAdded, onReactionRemoved } from './timeline-events.js';

export function registerEventHandlers(processor: EventProcessor, deps: Ports): void {
  const permalinks = new MessagePermalinks(deps.chat);
  processor.on('message', onMessageEvent(deps));
  processor.on('reaction_added', onReactionAdded(deps, permalinks));
  processor.on('reaction_removed', onReactionRemoved(deps));
}
