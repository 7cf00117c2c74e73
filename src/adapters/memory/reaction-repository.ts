/** Who holds a timeline reaction on which message, in memory: one row per (message, user, emoji). */
import type { ReactionRepo, TimelineReaction } from '../../domain/ports.js';
import { keyOf, type MemoryDb } from './tables.js';
import type { Synchronous } from '../store/serial-store.js';

const keyOfReaction = (r: TimelineReaction): string => keyOf(r.channelId, r.ts, r.userId, r.emoji);

/** ReactionRepo in memory. */
export class MemoryReactionRepository implements Synchronous<ReactionRepo> {
  constructor(private readonly db: MemoryDb) {}

  add(r: TimelineReaction, at: number): boolean {
    const rows = this.db.tables.reactions;
    const key = keyOfReaction(r);
    if (rows.has(key)) return false;
    rows.set(key, { channelId: r.channelId, ts: r.ts, userId: r.userId, emoji: r.emoji, addedAt: at });
    return true;
  }

  remove(r: TimelineReaction): boolean {
    return this.db.tables.reactions.delete(keyOfReaction(r));
  }

  count(channelId: string, ts: string): number {
    let n = 0;
    for (const r of this.db.tables.reactions.values()) if (r.channelId === channelId && r.ts === ts) n += 1;
    return n;
  }
}
