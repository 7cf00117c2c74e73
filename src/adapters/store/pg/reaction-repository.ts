/**
 * Who holds a timeline reaction on which message, on PostgreSQL. The entry of a message stays on the timeline
 * while at least one row remains; the primary key makes a redelivered reaction a no-op.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { ReactionRepo, TimelineReaction } from '../../../domain/ports/store.js';
import { timelineReactions } from './schema.js';
import type { PgSession } from './session.js';

const onMessage = (channelId: string, ts: string) =>
  and(eq(timelineReactions.channelId, channelId), eq(timelineReactions.ts, ts));

export class PgReactionRepository implements ReactionRepo {
  constructor(private readonly session: PgSession) {}

  /** Records a reaction; false when it was recorded before. */
  async add(r: TimelineReaction, at: number): Promise<boolean> {
    const rows = await this.session.query({
      name: 'reaction_add',
      text: `insert into timeline_reactions (channel_id, ts, user_id, emoji, added_at) values ($1, $2, $3, $4, $5)
        on conflict do nothing returning 1`,
      values: [r.channelId, r.ts, r.userId, r.emoji, at],
    });
    return rows.length === 1;
  }

  /** Forgets a reaction; false when it was not recorded. */
  async remove(r: TimelineReaction): Promise<boolean> {
    const result = await this.session
      .db()
      .delete(timelineReactions)
      .where(
        and(
          onMessage(r.channelId, r.ts),
          eq(timelineReactions.userId, r.userId),
          eq(timelineReactions.emoji, r.emoji),
        ),
      );
    return (result.rowCount ?? 0) > 0;
  }

  /** How many timeline reactions a message holds. */
  async count(channelId: string, ts: string): Promise<number> {
    const [row] = await this.session
      .db()
      .select({ n: sql<number>`count(*)::int` })
      .from(timelineReactions)
      .where(onMessage(channelId, ts));
    return row?.n ?? 0;
  }
}
