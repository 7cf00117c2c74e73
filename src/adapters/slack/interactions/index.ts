/** Registers the Block Kit interactions (buttons, modal submissions) on Bolt. */
import type { App } from '@slack/bolt';
import type { Deps } from '../../../app/deps.js';

export function registerInteractions(_app: App, _deps: Deps): void {}
