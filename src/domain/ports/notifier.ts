/**
 * How the core tells people what happened: use cases return typed notices, and a notifier chooses how they
 * look. The Slack notifier (adapters/slack/notices) owns every Block Kit builder and every mrkdwn string;
 * the App Home and the web page are other notifiers of the same notices.
 */
import type { Notice } from '../notices.js';

export interface Notifier {
  /**
   * Tells each notice, in order. Never throws: a failure is logged, and told in the incident channel where a
   * change was stored but could not be shown.
   */
  notify(notices: readonly Notice[]): Promise<void>;
}
