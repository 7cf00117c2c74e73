/**
 * Who signed in, as Slack tells it: the code traded for a user token (`openid.connect.token`), the id_token's
 * audience and nonce checked against this sign-in, then the person read from `openid.connect.userInfo`.
 */
import { WebClient } from '@slack/web-api';
import type { Logger } from '../log.js';
import { boltLogger } from '../slack/bolt-logger.js';
import { idTokenMatches } from './id-token.js';
import { refusals, type SignInFailure, signInFailure } from './sign-in-failure.js';

/** A person as userInfo names them. */
export interface SlackPerson {
  userId: string;
  teamId: string;
  teamName: string | null;
  /** their name, else their given name, else their user id; unescaped */
  name: string;
}

export interface SlackIdentityOptions {
  clientId: string;
  clientSecret: string;
  slackApiUrl: string;
  /** the redirect_uri of the authorize step, which Slack checks again */
  redirectUri: string;
  log: Logger;
  /** how long one Slack call may take, in ms */
  timeoutMs: number;
}

/** Names longer than this are not names: the sign-in cuts the one it keeps far shorter. */
const MAX_CLAIM = 100_000;

const text = (v: unknown, max: number): string | null =>
  typeof v === 'string' && v.length > 0 && v.length <= max ? v : null;

export class SlackIdentity {
  private readonly web: WebClient;

  constructor(private readonly opts: SlackIdentityOptions) {
    // A person waits on the other end: no retries (a failed sign-in is started again by a click), a rate limit
    // is an answer rather than a wait, and debug lines are dropped (they hold the request, client secret and all).
    this.web = new WebClient(undefined, {
      slackApiUrl: opts.slackApiUrl,
      timeout: opts.timeoutMs,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: boltLogger(opts.log, { debug: false }),
    });
  }

  /** The person who consented on Slack for `code`, or why not; throws only for a bug. */
  async identify(code: string, nonce: string): Promise<{ person: SlackPerson } | { failure: SignInFailure }> {
    let claims: Record<string, unknown>;
    try {
      const token = await this.web.openid.connect.token({
        client_id: this.opts.clientId,
        client_secret: this.opts.clientSecret,
        code,
        redirect_uri: this.opts.redirectUri,
        grant_type: 'authorization_code',
      });
      const accessToken = text(token.access_token, 4096);
      if (!accessToken || !idTokenMatches(token.id_token, this.opts.clientId, nonce)) {
        return { failure: refusals.otherNonce() };
      }
      claims = { ...(await this.web.openid.connect.userInfo({ token: accessToken })) };
    } catch (error) {
      const failure = signInFailure(error);
      if (!failure) throw error;
      return { failure };
    }
    const userId = text(claims['https://slack.com/user_id'] ?? claims['sub'], 64);
    const teamId = text(claims['https://slack.com/team_id'], 64);
    if (!userId || !teamId) return { failure: refusals.nobody() };
    return {
      person: {
        userId,
        teamId,
        teamName: text(claims['https://slack.com/team_name'], MAX_CLAIM),
        name: text(claims['name'], MAX_CLAIM) ?? text(claims['given_name'], MAX_CLAIM) ?? userId,
      },
    };
  }
}
