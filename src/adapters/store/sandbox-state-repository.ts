/** Records of the sandbox (its local Slack workspace), kept as JSON text by key. */
import { eq } from 'drizzle-orm';
import type { Db } from './db.js';
import { sandboxState } from './schema.js';

export class SandboxStateRepository {
  constructor(private readonly db: Db) {}

  /** The stored text under `key`, or null when nothing was stored. */
  get(key: string): string | null {
    return this.db.select().from(sandboxState).where(eq(sandboxState.key, key)).get()?.value ?? null;
  }

  /** Stores `value` under `key`, replacing what was there. */
  put(key: string, value: string, at: number): void {
    this.db
      .insert(sandboxState)
      .values({ key, value, updatedAt: at })
      .onConflictDoUpdate({ target: sandboxState.key, set: { value, updatedAt: at } })
      .run();
  }
}
