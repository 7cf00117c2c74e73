/**
 * Keeps Muster's App Home current. Opening the Home (`app_home_opened`) records the person as a viewer, in the
 * database every instance shares, and publishes their Home. A change that the Home shows (an incident declared,
 * its status, severity or roles changed, resolved or reopened; an action item recorded, done, reassigned or
 * redacted) republishes the Home of the recent viewers: those who opened it in the last 30 days, the most recent
 * first, up to a cap. Refreshing runs after the ack and never blocks a command; the changes of one turn of the event loop
 * make one pass, and changes during a pass one more pass after it (runtime/coalesced-run.ts). A Slack error
 * is logged and the pass goes on to the next viewer; a rate limit is waited out by WebClient (Retry-After).
 */
import { HOME_VIEWER_WINDOW_MS, type HomeFacts, homeFacts, homeViewOf } from '../../app/home/home-view.js';
import type { Ports } from '../../app/ports.js';
import type { Notice } from '../../domain/notices.js';
import { ChatError } from '../../domain/ports.js';
import { CoalescedRun } from '../../runtime/coalesced-run.js';
import { appHomeView } from './blocks/app-home.js';

/** Viewers refreshed in one pass, the most recent first: views.publish is Tier 4 (100+ a minute). */
export const MAX_REFRESHED_VIEWERS = 200;

/** What the Home shows changed: the notices that make its viewers' Homes be published again. */
const HOME_CHANGES: ReadonlySet<Notice['kind']> = new Set<Notice['kind']>([
  'incident_opened',
  'channel_not_created',
  'severity_changed',
  'status_changed',
  'incident_resolved',
  'incident_reopened',
  'role_assigned',
  'action_recorded',
  'action_done',
  'follow_up_created',
  'follow_up_synced',
  // redacting an action item's entry blanks the item's text, which no Home may keep showing
  'entry_redacted',
]);

/** Whether any of `notices` changes what an App Home shows. */
export const changesHome = (notices: readonly Notice[]): boolean =>
  notices.some((n) => HOME_CHANGES.has(n.kind));

export class AppHomePublisher {
  private readonly refresh: CoalescedRun;
  /** a refresh is scheduled and has not started its pass yet: more changes join it */
  private scheduled = false;

  constructor(
    /** the ports, read when used (the notifier that calls `refreshSoon` is built before them) */
    private readonly ports: () => Pick<
      Ports,
      'store' | 'chat' | 'clock' | 'config' | 'membership' | 'log' | 'afterAck'
    >,
    private readonly maxViewers = MAX_REFRESHED_VIEWERS,
  ) {
    this.refresh = new CoalescedRun(() => this.refreshViewers());
  }

  /** `userId` opened their Home: remembered as a viewer, then their Home is published. Rejects when the store does. */
  async opened(userId: string): Promise<void> {
    const ports = this.ports();
    await ports.store.homeViewers.opened(userId, ports.clock.now());
    await this.publish(userId);
  }

  /** Publishes one person's Home (from `facts` when read already); false (and logged) when it could not, never a rejection. */
  async publish(userId: string, facts?: HomeFacts): Promise<boolean> {
    const ports = this.ports();
    try {
      const view = await homeViewOf(ports, facts ?? (await homeFacts(ports)), userId);
      await ports.chat.publishHome(userId, appHomeView(view));
      return true;
    } catch (err) {
      const fields = err instanceof ChatError ? { error: err.code } : { err };
      ports.log.warn({ ...fields, user: userId }, 'could not publish the App Home');
      return false;
    }
  }

  /**
   * Refreshes the recent viewers' Homes after the transaction in progress commits (so the pass reads what it
   * wrote) and after the ack; calls made before the pass starts share it.
   */
  refreshSoon(): void {
    const ports = this.ports();
    ports.store.afterCommit(() => {
      if (this.scheduled) return;
      this.scheduled = true;
      ports.afterAck.run('refresh App Homes', async () => {
        // the next turn of the event loop: the rest of a burst of changes joins this pass
        await new Promise((resolve) => setImmediate(resolve));
        this.scheduled = false;
        await this.refresh.run();
      });
    });
  }

  /**
   * One pass: the Home of each recent viewer, one after the other (WebClient paces them), all read from the
   * same facts; a change meanwhile makes the next pass.
   */
  private async refreshViewers(): Promise<void> {
    const ports = this.ports();
    const since = ports.clock.now() - HOME_VIEWER_WINDOW_MS;
    let viewers: string[];
    let facts: HomeFacts;
    try {
      viewers = await ports.store.homeViewers.recent(since, this.maxViewers);
      if (viewers.length === 0) return;
      facts = await homeFacts(ports);
    } catch (err) {
      ports.log.warn({ err }, 'could not read the App Homes to refresh; the next change tries again');
      return;
    }
    let failed = 0;
    for (const userId of viewers) if (!(await this.publish(userId, facts))) failed += 1;
    if (failed > 0) {
      ports.log.warn({ viewers: viewers.length, failed }, 'some App Homes were not refreshed');
    }
  }
}
