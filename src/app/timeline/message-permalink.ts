/**
 * Permalinks of messages put on the timeline. Slack's permalinks have one fixed shape under the workspace's
 * URL (`<workspace>/archives/<channel>/p<ts without dot>`, plus `?thread_ts=…&cid=…` for a reply), so one
 * `chat.getPermalink` answer teaches the workspace URL and later links are written without a Slack call:
 * a burst of reactions then costs no rate-limited calls at all.
 */
import type { Chat } from '../../domain/ports.js';
import { permalinkTsPart } from '../../domain/timeline-reaction.js';

export class MessagePermalinks {
  /** `https://acme.slack.com`, once learned */
  private workspaceUrl: string | null = null;

  constructor(private readonly chat: Chat) {}

  /** The permalink written without Slack, or null until one answer from Slack has taught the workspace URL. */
  known(channelId: string, ts: string, threadTs: string | null): string | null {
    return this.workspaceUrl ? this.derive(this.workspaceUrl, channelId, ts, threadTs) : null;
  }

  /** The message's permalink; null when Slack cannot give one (the entry then goes without a link). */
  async of(channelId: string, ts: string, threadTs: string | null): Promise<string | null> {
    const known = this.known(channelId, ts, threadTs);
    if (known) return known;
    const link = await this.chat.permalink(channelId, ts);
    if (link) this.learn(link, channelId, ts, threadTs);
    return link;
  }

  private derive(base: string, channelId: string, ts: string, threadTs: string | null): string {
    const link = `${base}/archives/${channelId}/${permalinkTsPart(ts)}`;
    return threadTs && threadTs !== ts ? `${link}?thread_ts=${threadTs}&cid=${channelId}` : link;
  }

  /** Keeps the workspace URL only when Slack's answer is exactly what deriving would have written. */
  private learn(link: string, channelId: string, ts: string, threadTs: string | null): void {
    const at = link.indexOf('/archives/');
    if (at <= 0) return;
    const base = link.slice(0, at);
    if (this.derive(base, channelId, ts, threadTs) === link) this.workspaceUrl = base;
  }
}
