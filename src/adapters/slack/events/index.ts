/** Registers the Events API handlers (messages, reactions, edits) on the durable event processor. */
import type { Deps } from '../../../app/deps.js';
import type { EventProcessor } from '../event-processor.js';

export function registerEventHandlers(_processor: EventProcessor, _deps: Deps): void {}
