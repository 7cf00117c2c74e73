/** Display names and bot checks for Slack users: database cache first, `users.info` when unknown or stale. */
import type { Chat, Clock, IncidentStore, SlackUser, UserDirectory } from '../../domain/ports.js';

/** Profiles older than this are refreshed on next use. */
const STALE_MS = 24 * 60 * 60 * 1000;

/** The UserDirectory port over the store's cache of profiles and the chat's `userInfo`. */
export class CachedUserDirectory implements UserDirectory {
  private readonly inFlight = new Map<string, Promise<SlackUser | null>>();

  constructor(
    private readonly store: IncidentStore,
    private readonly chat: Chat,
    private readonly clock: Clock,
  ) {}

  /** The user's profile, or null when Slack does not know them (`user_not_found`) or cannot be reached. */
  async get(id: string): Promise<SlackUser | null> {
    const cached = await this.store.users.get(id);
    if (cached && this.clock.now() - cached.fetchedAt < STALE_MS) return cached;
    const pending = this.inFlight.get(id);
    if (pending) return pending;
    const p = (async () => {
      try {
        const u = await this.chat.userInfo(id);
        await this.store.users.put(u, this.clock.now());
        return u;
      } catch {
        return cached ?? null;
      } finally {
        this.inFlight.delete(id);
      }
    })();
    this.inFlight.set(id, p);
    return p;
  }

  /** Display name, falling back to the id when the profile cannot be had. */
  async name(id: string): Promise<string> {
    if (!/^[UWB][A-Z0-9]+$/.test(id)) return id;
    return (await this.get(id))?.displayName ?? id;
  }

  /** Names for many ids (cache first), as a plain record for renderers. */
  async names(ids: Iterable<string>): Promise<Record<string, string>> {
    const unique = [...new Set(ids)];
    const out: Record<string, string> = {};
    await Promise.all(unique.map(async (id) => (out[id] = await this.name(id))));
    return out;
  }
}
