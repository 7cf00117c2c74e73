/**
 * Whether a person signed in to the web page still has an active account in the workspace. A session lasts 12
 * hours (adapters/web/session-cookie.ts), and Slack tells an app nothing when a person is deactivated, so each
 * process asks Slack (`users.info`) about a viewer at most once every STANDING_TTL_MS: someone deactivated, or
 * no longer in the workspace, loses the page within that time rather than when their cookie runs out.
 *
 * When Slack cannot be asked (down, rate limited), the last answer stands, or with none the sign-in's own proof
 * of the person, at most 12 hours old: the page stays up through a Slack outage, when it is needed most. A
 * failed question is asked again at the next page.
 */
import { ChatError } from '../../domain/ports.js';
import type { Ports } from '../ports.js';

/** How long an answer from Slack about a viewer stands before it is asked again. */
export const STANDING_TTL_MS = 5 * 60_000;
/** Past this many people remembered, the answers start again (each is asked once more). */
const REMEMBERED = 10_000;

export class ViewerStanding {
  /** user id → whether the account is active, and when Slack said so */
  private readonly known = new Map<string, { active: boolean; at: number }>();
  private readonly inFlight = new Map<string, Promise<boolean>>();

  constructor(
    private readonly ports: Pick<Ports, 'chat' | 'clock' | 'store' | 'log'>,
    private readonly ttlMs = STANDING_TTL_MS,
  ) {}

  /** Whether `userId` may still see the page: false once Slack says the account is deactivated or unknown. */
  async active(userId: string): Promise<boolean> {
    const last = this.known.get(userId);
    if (last && this.ports.clock.now() - last.at < this.ttlMs) return last.active;
    const pending = this.inFlight.get(userId);
    if (pending) return pending;
    const asked = this.ask(userId, last?.active ?? true).finally(() => this.inFlight.delete(userId));
    this.inFlight.set(userId, asked);
    return asked;
  }

  private async ask(userId: string, meanwhile: boolean): Promise<boolean> {
    const { chat, clock, store, log } = this.ports;
    let active: boolean;
    try {
      const user = await chat.userInfo(userId);
      active = !user.deleted;
      // the profile cache learns it too; a failure there changes nothing of the answer
      await store.users
        .put(user, clock.now())
        .catch((e: unknown) =>
          log.warn({ err: e, user: userId }, 'could not keep the profile of a web page viewer'),
        );
    } catch (err) {
      if (!(err instanceof ChatError && err.code === 'user_not_found')) {
        log.warn(
          { err, user: userId },
          'could not ask Slack whether a web page viewer is still active; their sign-in stands',
        );
        return meanwhile;
      }
      active = false;
    }
    if (this.known.size >= REMEMBERED) this.known.clear();
    this.known.set(userId, { active, at: clock.now() });
    if (!active)
      log.info({ user: userId }, 'a web page viewer is no longer active in Slack; the page is refused');
    return active;
  }
}
