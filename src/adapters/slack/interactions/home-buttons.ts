/**
 * The App Home's buttons: "Declare incident" (`home.declare`) opens the declare modal with the press's trigger
 * id, whose submission declares exactly as `/incident declare` does from the modal; "Open the incidents page"
 * (`home.web`) is a link Slack opens itself, and sends a press the app only acknowledges.
 */
import type { App } from '@slack/bolt';
import type { Ports } from '../../../app/ports.js';
import { ChatError } from '../../../domain/ports.js';
import { HOME_DECLARE_ACTION, HOME_WEB_ACTION } from '../blocks/app-home.js';
import { openDeclareModal } from './declare-modal.js';

/** The parts of a Home tab's `block_actions` payload the buttons read. */
interface HomePress {
  user?: { id?: string };
  trigger_id?: string;
}

/** The severity the form starts at: the one `/incident declare` takes without a severity. */
const DEFAULT_SEVERITY = 3;

/** Registers the Home's buttons. */
export function registerHomeButtons(app: App, deps: Ports): void {
  app.action(HOME_DECLARE_ACTION, async ({ ack, body }) => {
    await ack();
    const press = body as unknown as HomePress;
    const triggerId = press.trigger_id;
    if (!triggerId) return;
    // views.open must follow within Slack's 3 s trigger lifetime: start it now, tracked for shutdown and tests
    deps.afterAck.run('open declare modal from the Home', async () => {
      try {
        // opened from the Home, the form has no channel to answer in: the refreshed Home shows the incident
        await openDeclareModal(deps, triggerId, {
          severity: DEFAULT_SEVERITY,
          private: false,
          channelId: null,
        });
      } catch (e) {
        const code = e instanceof ChatError ? e.code : 'error';
        deps.log.warn({ error: code, user: press.user?.id }, 'could not open the declare form from the Home');
      }
    });
  });
  app.action(HOME_WEB_ACTION, async ({ ack }) => {
    await ack();
  });
}
