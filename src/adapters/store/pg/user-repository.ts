/** Cached Slack user profiles (display names for timelines and postmortems), on PostgreSQL. */
import { eq, inArray } from 'drizzle-orm';
import type { UserRepo } from '../../../domain/ports/store.js';
import type { SlackUser } from '../../../domain/ports.js';
import { users } from './schema.js';
import type { PgSession } from './session.js';

export class PgUserRepository implements UserRepo {
  constructor(private readonly session: PgSession) {}

  async get(id: string): Promise<(SlackUser & { fetchedAt: number }) | null> {
    const [r] = await this.session.db().select().from(users).where(eq(users.id, id));
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

  async many(ids: string[]): Promise<Map<string, SlackUser>> {
    const out = new Map<string, SlackUser>();
    if (ids.length === 0) return out;
    const rows = await this.session.db().select().from(users).where(inArray(users.id, ids));
    for (const r of rows) {
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

  async put(u: SlackUser, at: number): Promise<void> {
    await this.session
      .db()
      .insert(users)
      .values({
        id: u.id,
        name: u.name,
        displayName: u.displayName,
        isBot: u.isBot,
        deleted: u.deleted,
        fetchedAt: at,
      })
      .onConflictDoUpdate({
        target: users.id,
        set: { name: u.name, displayName: u.displayName, isBot: u.isBot, deleted: u.deleted, fetchedAt: at },
      });
  }
}
