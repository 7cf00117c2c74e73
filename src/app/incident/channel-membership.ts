/**
 * Channel members, as the chat lists them, kept for a minute per instance: `/incident list` typed by several
 * people, or again, asks Slack once per private channel a minute. A member removed from the channel can still
 * see the incident listed (never its channel's messages) for up to MEMBERS_TTL_MS on an instance that cached it.
 */
import type { Chat, ChannelMembership, Clock } from '../../domain/ports.js';

/** How long an instance trusts a channel's member list. */
export const MEMBERS_TTL_MS = 60_000;

/** The ChannelMembership port over the chat's member lists (`conversations.members`), cached for MEMBERS_TTL_MS. */
export class CachedChannelMembership implements ChannelMembership {
  private readonly cache = new Map<string, { members: Set<string>; fetchedAt: number }>();
  private readonly inFlight = new Map<string, Promise<Set<string>>>();

  constructor(
    private readonly chat: Pick<Chat, 'channelMembers'>,
    private readonly clock: Clock,
  ) {}

  async isMember(channelId: string, userId: string): Promise<boolean> {
    return (await this.members(channelId)).has(userId);
  }

  /** A failure is not cached: the next question asks Slack again. */
  private async members(channelId: string): Promise<Set<string>> {
    const cached = this.cache.get(channelId);
    if (cached && this.clock.now() - cached.fetchedAt < MEMBERS_TTL_MS) return cached.members;
    const pending = this.inFlight.get(channelId);
    if (pending) return pending;
    const p = (async () => {
      try {
        const members = new Set(await this.chat.channelMembers(channelId));
        this.cache.set(channelId, { members, fetchedAt: this.clock.now() });
        return members;
      } finally {
        this.inFlight.delete(channelId);
      }
    })();
    this.inFlight.set(channelId, p);
    return p;
  }
}
