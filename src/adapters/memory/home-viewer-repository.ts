/** Who opened the App Home, and when last, in memory: one row a person, moved forward by each open. */
import type { HomeViewerRepo } from '../../domain/ports.js';
import type { Synchronous } from '../store/serial-store.js';
import type { MemoryDb } from './tables.js';

/** HomeViewerRepo in memory. */
export class MemoryHomeViewerRepository implements Synchronous<HomeViewerRepo> {
  constructor(private readonly db: MemoryDb) {}

  opened(userId: string, at: number): void {
    const viewers = this.db.tables.homeViewers;
    viewers.set(userId, Math.max(viewers.get(userId) ?? at, at));
  }

  recent(since: number, limit: number): string[] {
    return [...this.db.tables.homeViewers]
      .filter(([, at]) => at >= since)
      .sort(([a, atA], [b, atB]) => atB - atA || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit)
      .map(([userId]) => userId);
  }

  forget(before: number, limit: number): number {
    const viewers = this.db.tables.homeViewers;
    const gone = [...viewers]
      .filter(([, at]) => at < before)
      .sort(([a, atA], [b, atB]) => atA - atB || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, limit);
    for (const [userId] of gone) viewers.delete(userId);
    return gone.length;
  }
}
