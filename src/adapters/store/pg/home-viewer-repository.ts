/** Who opened the App Home, and when last, on PostgreSQL: one row a person, moved forward by each open. */
import { asc, desc, gte, inArray, lt, sql } from 'drizzle-orm';
import type { HomeViewerRepo } from '../../../domain/ports/store.js';
import { homeViewers } from './schema.js';
import type { PgSession } from './session.js';

export class PgHomeViewerRepository implements HomeViewerRepo {
  constructor(private readonly session: PgSession) {}

  /** Records an open; an open older than the one stored (a late redelivery) leaves it as it is. */
  async opened(userId: string, at: number): Promise<void> {
    await this.session
      .db()
      .insert(homeViewers)
      .values({ userId, openedAt: at })
      .onConflictDoUpdate({
        target: homeViewers.userId,
        set: { openedAt: sql`greatest(${homeViewers.openedAt}, excluded.opened_at)` },
      });
  }

  /** Ties are ordered by the ids' bytes (`collate "C"`), as SQLite compares text. */
  async recent(since: number, limit: number): Promise<string[]> {
    const rows = await this.session
      .db()
      .select({ userId: homeViewers.userId })
      .from(homeViewers)
      .where(gte(homeViewers.openedAt, since))
      .orderBy(desc(homeViewers.openedAt), asc(sql`${homeViewers.userId} collate "C"`))
      .limit(limit);
    return rows.map((r) => r.userId);
  }

  async forget(before: number, limit: number): Promise<number> {
    const db = this.session.db();
    const gone = db
      .select({ userId: homeViewers.userId })
      .from(homeViewers)
      .where(lt(homeViewers.openedAt, before))
      .orderBy(asc(homeViewers.openedAt), asc(sql`${homeViewers.userId} collate "C"`))
      .limit(limit);
    const deleted = await db
      .delete(homeViewers)
      .where(inArray(homeViewers.userId, gone))
      .returning({ userId: homeViewers.userId });
    return deleted.length;
  }
}
