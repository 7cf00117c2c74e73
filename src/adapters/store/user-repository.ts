/** Cached Slack user profiles (display names for timelines and postmortems). */
import type { UserRepo } from '../../domain/ports/store.js';
import type { Synchronous } from './serial-store.js';
import { eq, inArray } from 'drizzle-orm';
import type { SlackUser } from '../../domain/ports.js';
import type { Db } from './db.js';
import { users } from './schema.js';

export class UserRepository implements Synchronous<UserRepo> {
  constructor(private readonly db: Db) {}

  get(id: string): (SlackUser & { fetchedAt: number }) | null {
    const r = this.db.select().from(users).where(eq(users.id, id)).get();
    return r
      ? {
          id: r.id,
          name: r.name,
          displayName: r.displayName,
          isBot: r.isBot,
          deleted: r.deleted,
          fetchedAt: r.fetchedAt,
        }
      : null;
  }

  many(ids: string[]): Map<string, SlackUser> {
    const out = new Map<string, SlackUser>();
    if (ids.length === 0) return out;
    for (const r of this.db.select().from(users).where(inArray(users.id, ids)).all()) {
      out.set(r.id, {
        id: r.id,
        name: r.name,
        displayName: r.displayName,
        isBot: r.isBot,
        deleted: r.deleted,
      });
    }
    return out;
  }

  put(u: SlackUser, at: number): void {
    this.db
      .insert(users)
      .values({ ...u, fetchedAt: at })
      .onConflictDoUpdate({
        target: users.id,
        set: { name: u.name, displayName: u.displayName, isBot: u.isBot, deleted: u.deleted, fetchedAt: at },
      })
      .run();
  }
}
