/** Cached Slack user profiles, in memory: one row per user id, replaced on every fetch. */
import type { SlackUser, UserRepo } from '../../domain/ports.js';
import type { MemoryDb } from './tables.js';
import type { Synchronous } from '../store/serial-store.js';

const profile = (u: SlackUser): SlackUser => ({
  id: u.id,
  name: u.name,
  displayName: u.displayName,
  isBot: u.isBot,
  deleted: u.deleted,
});

/** UserRepo in memory. */
export class MemoryUserRepository implements Synchronous<UserRepo> {
  constructor(private readonly db: MemoryDb) {}

  get(id: string): (SlackUser & { fetchedAt: number }) | null {
    const row = this.db.tables.users.get(id);
    return row ? { ...profile(row), fetchedAt: row.fetchedAt } : null;
  }

  many(ids: string[]): Map<string, SlackUser> {
    const out = new Map<string, SlackUser>();
    const users = this.db.tables.users;
    for (const id of [...new Set(ids)].sort()) {
      const row = users.get(id);
      if (row) out.set(id, profile(row));
    }
    return out;
  }

  put(u: SlackUser, at: number): void {
    this.db.tables.users.set(u.id, { ...profile(u), fetchedAt: at });
  }
}
