/**
 * Every way a sign-in with Slack ends without a session: what the person sees (a status, a title, what happened
 * and what to do) and what is logged. Only Slack's error code, an HTTP status, the kind of network failure or a
 * team id is logged: the code, tokens and client secret never are (the WebClient's own errors can carry the
 * request, so they are never logged whole).
 */
import { ErrorCode } from '@slack/web-api';
import { fitPlain } from '../slack/text-fit.js';

export interface SignInFailure {
  status: number;
  title: string;
  message: string;
  /** whether signing in again may help (else it is Muster's setup): the page then links to the sign-in */
  retry: boolean;
  level: 'info' | 'warn' | 'error';
  /** the log line, after "sign-in: " */
  why: string;
  /** logged with it: never a secret */
  detail: Record<string, string | number>;
}

const failure = (
  status: number,
  title: string,
  message: string,
  log: { why: string; level?: SignInFailure['level']; detail?: SignInFailure['detail']; retry?: boolean },
): SignInFailure => ({
  status,
  title,
  message,
  retry: log.retry ?? true,
  level: log.level ?? 'info',
  why: log.why,
  detail: log.detail ?? {},
});

/** The refusals of the callback that are not a failed Slack call. */
export const refusals = {
  noSignInInProgress: () =>
    failure(
      400,
      'No sign-in in progress',
      'This browser did not start this sign-in, or started it more than 10 minutes ago. Sign in again from here.',
      { why: 'callback without a sign-in in progress' },
    ),
  otherState: () =>
    failure(
      400,
      'Sign-in not recognised',
      'This answer from Slack belongs to another sign-in (another tab, or a link someone sent you). Sign in again from here.',
      { why: 'callback state does not match the sign-in in progress', level: 'warn' },
    ),
  otherNonce: () =>
    failure(
      400,
      'Sign-in not recognised',
      "Slack's answer does not belong to the sign-in this browser started. Sign in again.",
      { why: 'the id_token is not for this sign-in (nonce or audience)', level: 'warn' },
    ),
  declined: () =>
    failure(
      403,
      'Sign-in cancelled',
      'You did not allow Muster to sign you in with Slack, so you are not signed in.',
      { why: 'declined on Slack' },
    ),
  noCode: (slackError: string) =>
    failure(400, 'Slack did not sign you in', `Slack answered "${slackError}".`, {
      why: 'Slack sent the browser back without a code',
      level: 'warn',
      detail: { slackError },
    }),
  installedTeamUnknown: (reason: string) =>
    failure(
      502,
      'Slack did not answer',
      'Muster could not ask Slack which workspace it belongs to. Try again in a minute.',
      {
        why: 'could not ask Slack which workspace Muster is installed in',
        level: 'warn',
        detail: { reason },
      },
    ),
  otherWorkspace: (installed: string, theirs: { id: string; name: string | null }) => {
    const ours = fitPlain(installed, 100);
    return failure(
      403,
      'Not your workspace',
      `Only people of the ${ours} workspace can sign in${
        theirs.name ? `; you signed in to ${fitPlain(theirs.name, 100)}` : ''
      }. Sign in again and choose ${ours}.`,
      { why: 'refused a person of another workspace', detail: { teamId: theirs.id } },
    );
  },
  nobody: () =>
    failure(502, 'Slack did not say who you are', 'Try again in a minute.', {
      why: 'userInfo named no user',
      level: 'warn',
    }),
};

/** Slack's answers that mean the code is no good (expired, used, or never issued): start again. */
const STALE_CODE = new Set(['invalid_code', 'code_already_used', 'code_expired', 'invalid_grant_type']);
/** Slack's answers that mean Muster's app settings do not match the Slack app's. */
const SETUP = new Set(['invalid_client_id', 'bad_client_secret', 'bad_redirect_uri', 'invalid_client']);

const SLACK_CALL = 'a Slack call failed';

/** The failure to show for an error of a Slack call; null when the error is not Slack's (a bug: rethrow it). */
export function signInFailure(error: unknown): SignInFailure | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === ErrorCode.PlatformError) {
    const data = (error as { data?: { error?: unknown } }).data;
    const slackError = typeof data?.error === 'string' ? data.error.slice(0, 100) : 'unknown';
    const detail = { slackError };
    if (STALE_CODE.has(slackError)) {
      return failure(
        400,
        'This sign-in has expired',
        'Slack no longer accepts this sign-in: it was used already or took too long. Sign in again.',
        { why: SLACK_CALL, detail },
      );
    }
    if (SETUP.has(slackError)) {
      return failure(
        502,
        'Slack refused the sign-in',
        `Slack does not recognise Muster's app settings (${slackError}). Ask whoever runs Muster to check SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and the redirect URL.`,
        { why: SLACK_CALL, level: 'error', detail, retry: false },
      );
    }
    return failure(
      502,
      'Slack refused the sign-in',
      `Slack answered "${slackError}". Try again in a minute; if it keeps happening, tell whoever runs Muster.`,
      { why: SLACK_CALL, level: 'warn', detail },
    );
  }
  if (code === ErrorCode.RateLimitedError) {
    return failure(503, 'Slack is busy', 'Slack asks Muster to slow down. Try again in a minute.', {
      why: SLACK_CALL,
      level: 'warn',
      detail: { slackError: 'ratelimited' },
    });
  }
  if (code === ErrorCode.HTTPError || code === ErrorCode.RequestError) {
    const status = (error as { statusCode?: unknown }).statusCode;
    const original = (error as { original?: { name?: unknown } }).original;
    return failure(
      502,
      'Slack did not answer',
      'Muster could not reach Slack to finish signing you in. Try again in a minute.',
      {
        why: SLACK_CALL,
        level: 'warn',
        detail:
          typeof status === 'number'
            ? { httpStatus: status }
            : { network: typeof original?.name === 'string' ? original.name : 'error' },
      },
    );
  }
  return null;
}
