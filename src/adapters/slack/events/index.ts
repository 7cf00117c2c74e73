/** Registers the Events API handlers (messages, reactions, edits, the App Home) on the durable event processor. */
import type { Ports } from '../../../app/ports.js';
import type { IncidentChannels } from '../../../app/timeline/incident-channels.js';
import { MessagePermalinks } from '../../../app/timeline/message-permalink.js';
import type { AppHomePublisher } from '../app-home-publisher.js';
import type { EventProcessor } from '../event-processor.js';
import { onAppHomeOpened } from './app-home-events.js';
import { onMessageEvent, onReactionAdded, onReactionRemoved } from './timeline-events.js';

export function registerEventHandlers(
  processor: EventProcessor,
  deps: Ports,
  homes: AppHomePublisher,
  channels: IncidentChannels,
): void {
  const permalinks = new MessagePermalinks(deps.chat);
  processor.on('message', onMessageEvent(deps, channels));
  processor.on('reaction_added', onReactionAdded(deps, channels, permalinks));
  processor.on('reaction_removed', onReactionRemoved(deps, channels));
  processor.on('app_home_opened', onAppHomeOpened(homes));
}
