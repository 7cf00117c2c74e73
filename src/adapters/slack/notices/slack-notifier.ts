/**
 * The Notifier port over Slack: each notice goes to the handler of its kind (one file per concept beside this
 * one). A handler that fails is logged with the notice's incident and kind; the notices after it still go out.
 */
import type { Notice } from '../../../domain/notices.js';
import type { Notifier } from '../../../domain/ports.js';
import type { Ports } from '../../../app/ports.js';
import { catalogNotices } from './catalog.js';
import { followUpNotices } from './follow-up.js';
import { incidentNotices } from './incident.js';
import type { NoticeHandler, NoticeHandlers } from './notice-handlers.js';
import { pagingNotices } from './paging.js';
import { isPinNotice, PinAcknowledgements, type PinPacing } from './pin-pacing.js';
import { postmortemNotices } from './postmortem.js';
import { timelineNotices } from './timeline.js';

const handlers: NoticeHandlers<Notice> = {
  ...incidentNotices,
  ...timelineNotices,
  ...pagingNotices,
  ...postmortemNotices,
  ...catalogNotices,
  ...followUpNotices,
};

export class SlackNotifier implements Notifier {
  /** the bot's ✅ on pinned messages, paced to Slack's rate (pin-pacing.ts) */
  readonly pins: PinAcknowledgements;

  /** `ports` is read when a notice is told: the notifier is itself one of the ports. */
  constructor(
    private readonly ports: () => Ports,
    pinPacing?: PinPacing,
  ) {
    this.pins = new PinAcknowledgements(ports, pinPacing);
  }

  async notify(notices: readonly Notice[]): Promise<void> {
    const ports = this.ports();
    for (const notice of notices) {
      if (isPinNotice(notice)) {
        await this.pins.tell(notice);
        continue;
      }
      const handler = handlers[notice.kind as Notice['kind']] as NoticeHandler<Notice>;
      try {
        await handler(notice, ports);
      } catch (err) {
        const incident = (notice as { incident?: { number?: number } }).incident?.number ?? null;
        ports.log.warn({ err, incident, notice: notice.kind }, 'could not tell a notice in Slack');
      }
    }
  }

  /** Stops sending: pin acknowledgements still waiting for their turn are dropped. */
  close(): void {
    this.pins.close();
  }
}
