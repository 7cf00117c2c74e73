/** The people of the workspace, as the core asks about them: who someone is, and what to call them. */
import type { SlackUser } from './chat.js';

export interface UserDirectory {
  /** The user's profile, or null when the chat does not know them or cannot be reached. */
  get(id: string): Promise<SlackUser | null>;
  /** Display name, falling back to the id when the profile cannot be had. */
  name(id: string): Promise<string>;
  /** Names for many ids, as a plain record for renderers. */
  names(ids: Iterable<string>): Promise<Record<string, string>>;
}
