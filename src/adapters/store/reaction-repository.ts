/**
 * Who holds a timeline reaction on which message. The entry of a message stays on the timeline while at
 * least one row remains; the primary key makes a redelivered reaction a no-op.
 */
import type { ReactionRepo } from '../../domain/ports/store.js';
import type { Synchronous } from './serial-store.js';
import { and, count, eq, sql } from 'drizzle-orm';
import type { Db } from './db.js';
import { timelineReactions } from './schema.js';
import type { TimelineReaction } from '../../domain/ports/store.js';
export type { TimelineReaction };

const onMessage = and(
  eq(timelineReactions.channelId, sql.placeholder('channelId')),
  eq(timelineReactions.ts, sql.placeholder('ts')),
);

export class ReactionRepository implements Synchronous<ReactionRepo> {
  // Reactions arrive at event rates: every statement is prepared once.
  private readonly addQuery;
  private readonly removeQuery;
  private readonly countQuery;

  constructor(db: Db) {
    this.addQuery = db
      .insert(timelineReactions)
      .values({
        channelId: sql.placeholder('channelId'),
        ts: sql.placeholder('ts'),
        userId: sql.placeholder('userId'),
        emoji: sql.placeholder('emoji'),
        addedAt: sql.placeholder('addedAt'),
      })
      .onConflictDoNothing()
      .prepare();
    this.removeQuery = db
      .delete(timelineReactions)
      .where(
        and(
          onMessage,
          eq(timelineReactions.userId, sql.placeholder('userId')),
          eq(timelineReactions.emoji, sql.placeholder('emoji')),
        ),
      )
      .prepare();
    this.countQuery = db.select({ n: count() }).from(timelineReactions).where(onMessage).prepare();
  }

  /** Records a reaction; false when it was recorded before. */
  add(r: TimelineReaction, at: number): boolean {
    return this.addQuery.run({ ...r, addedAt: at }).changes === 1;
  }

  /** Forgets a reaction; false when it was not recorded. */
  remove(r: TimelineReaction): boolean {
    return this.removeQuery.run({ ...r }).changes > 0;
  }

  /** How many timeline reactions a message holds. */
  count(channelId: string, ts: string): number {
    return this.countQuery.get({ channelId, ts })?.n ?? 0;
  }
}
