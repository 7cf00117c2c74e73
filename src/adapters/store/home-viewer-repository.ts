/** Who opened the App Home, and when last, on SQLite: one row a person, moved forward by each open. */
import { asc, desc, gte, inArray, lt, sql } from 'drizzle-orm';
import type { HomeViewerRepo } from '../../domain/ports/store.js';
import type { Db } from './db.js';
import { homeViewers } from './schema.js';
import type { Synchronous } from './serial-store.js';

export class HomeViewerRepository implements Synchronous<HomeViewerRepo> {
  constructor(private readonly db: Db) {}

  /** Records an open; an open older than the one stored (a late redelivery) leaves it as it is. */
  opened(userId: string, at: number): void {
    this.db
      .insert(homeViewers)
      .values({ userId, openedAt: at })
      .onConflictDoUpdate({
        target: homeViewers.userId,
        set: { openedAt: sql`max(${homeViewers.openedAt}, excluded.opened_at)` },
      })
      .run();
  }

  recent(since: number, limit: number): string[] {
    return this.db
      .select({ userId: homeViewers.userId })
      .from(homeViewers)
      .where(gte(homeViewers.openedAt, since))
      .orderBy(desc(homeViewers.openedAt), asc(homeViewers.userId))
      .limit(limit)
      .all()
      .map((r) => r.userId);
  }

  forget(before: number, limit: number): number {
    const gone = this.db
      .select({ userId: homeViewers.userId })
      .from(homeViewers)
      .where(lt(homeViewers.openedAt, before))
      .orderBy(asc(homeViewers.openedAt), asc(homeViewers.userId))
      .limit(limit);
    return this.db.delete(homeViewers).where(inArray(homeViewers.userId, gone)).run().changes;
  }
}
