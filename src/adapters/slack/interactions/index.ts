/** Registers the Block Kit interactions (buttons, modal submissions) on Bolt. */
import type { App } from '@slack/bolt';
import type { Ports } from '../../../app/ports.js';
import { registerActionButtons } from './action-buttons.js';
import { registerDeclareSubmission } from './declare-submission.js';
import { registerEscalateButton } from './escalate-button.js';
import { registerHeadlineButtons } from './headline-buttons.js';
import { registerHomeButtons } from './home-buttons.js';
import { registerLifecycleSubmissions } from './lifecycle-submissions.js';

export function registerInteractions(app: App, deps: Ports): void {
  registerHeadlineButtons(app, deps);
  registerLifecycleSubmissions(app, deps);
  registerDeclareSubmission(app, deps);
  registerActionButtons(app, deps);
  registerEscalateButton(app, deps);
  registerHomeButtons(app, deps);
}
