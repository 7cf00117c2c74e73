/**
 * What jira.js threw, as a TrackerError a person can read in the channel. jira.js 5.4 throws an HttpException
 * for an HTTP answer (`status`, the body in `response.data`, the AxiosError with the headers in `cause`) and the
 * AxiosError itself when no answer came (ECONNABORTED on our timeout, ECONNREFUSED, ENOTFOUND...). Jira's
 * refusals are `{errorMessages: string[], errors: {field: message}}`.
 */
import { TrackerError } from '../../domain/ports/tracker.js';

interface Failure {
  name?: string;
  code?: string;
  message?: string;
  response?: { status?: unknown; data?: unknown };
  cause?: { code?: string; name?: string; response?: { headers?: unknown } };
}

export interface JiraErrorContext {
  /** what Muster was doing, e.g. `the issue in OPS` */
  what: string;
  /** the project the call was about, to name it when Jira does not know it */
  project: string | null;
  /** epoch ms */
  now: number;
  /** never to appear in a message */
  secret: string;
}

/** Maps a jira.js failure to a TrackerError; its message never holds the API token. */
export function jiraError(err: unknown, ctx: JiraErrorContext): TrackerError {
  if (err instanceof TrackerError) return err;
  const mapped = map((err ?? {}) as Failure, ctx);
  if (!ctx.secret || !mapped.message.includes(ctx.secret)) return mapped;
  return new TrackerError(
    mapped.code,
    mapped.message.split(ctx.secret).join('***'),
    mapped.status,
    mapped.retryAfterSeconds,
  );
}

function map(e: Failure, { what, project, now }: JiraErrorContext): TrackerError {
  const status = typeof e.response?.status === 'number' ? e.response.status : undefined;
  if (status === undefined) {
    if (isTimeout(e)) return new TrackerError('timeout', `Jira did not answer in time about ${what}`);
    return new TrackerError('network', `Muster could not reach Jira about ${what}`);
  }
  const data = e.response?.data;
  const reason = jiraReason(data);
  if (status === 429) {
    const retryAfter = retryAfterSeconds(e.cause?.response?.headers, now);
    return new TrackerError(
      'rate_limited',
      `Jira is rate-limiting Muster${retryAfter !== undefined ? `; retry in ${retryAfter} s` : ''}`,
      status,
      retryAfter,
    );
  }
  if (status === 401) {
    return new TrackerError(
      'unauthorized',
      'Jira refused the credentials (401): check JIRA_EMAIL and JIRA_API_TOKEN',
      status,
    );
  }
  if (status === 403) return new TrackerError('forbidden', `Jira forbids ${what}: ${reason}`, status);
  if (status === 404) {
    return new TrackerError('not_found', `Jira has no ${what}, or the account cannot see it`, status);
  }
  if (status === 400 && project !== null && unknownProject(data)) {
    return new TrackerError(
      'not_found',
      `Jira has no project ${project}, or the account cannot see it`,
      status,
    );
  }
  if (status >= 500) return new TrackerError('server_error', `Jira failed (${status}) about ${what}`, status);
  return new TrackerError('invalid_request', `Jira refused ${what}: ${reason}`, status);
}

function isTimeout(e: Failure): boolean {
  const codes = [e.code, e.cause?.code];
  const names = [e.name, e.cause?.name];
  return (
    codes.includes('ECONNABORTED') ||
    codes.includes('ETIMEDOUT') ||
    names.includes('TimeoutError') ||
    /timeout/i.test(e.message ?? '')
  );
}

interface JiraRefusal {
  errorMessages?: unknown;
  errors?: unknown;
}

/** Jira's errorMessages and field errors in one line: `Summary is required; duedate: Error parsing date`. */
export function jiraReason(data: unknown): string {
  if (typeof data === 'string') return data.trim().slice(0, 300) || 'no reason given';
  const d = (data ?? {}) as JiraRefusal;
  const messages = Array.isArray(d.errorMessages) ? d.errorMessages.filter((m) => typeof m === 'string') : [];
  const fields =
    d.errors && typeof d.errors === 'object'
      ? Object.entries(d.errors as Record<string, unknown>).map(([field, msg]) => `${field}: ${String(msg)}`)
      : [];
  const all = [...messages, ...fields];
  return all.length > 0 ? all.join('; ') : 'no reason given';
}

function unknownProject(data: unknown): boolean {
  const d = (data ?? {}) as JiraRefusal;
  const errors = d.errors && typeof d.errors === 'object' ? (d.errors as Record<string, unknown>) : {};
  if (typeof errors.project === 'string') return true;
  const messages = Array.isArray(d.errorMessages) ? d.errorMessages : [];
  return messages.some((m) => typeof m === 'string' && /for the field 'project'/i.test(m));
}

function header(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const h = headers as { get?: (n: string) => unknown } & Record<string, unknown>;
  const value = typeof h.get === 'function' ? h.get(name) : h[name];
  return value === undefined || value === null ? undefined : String(value);
}

/** Retry-After (seconds) or, failing that, X-RateLimit-Reset (an ISO date) as seconds from now. */
function retryAfterSeconds(headers: unknown, now: number): number | undefined {
  const after = header(headers, 'retry-after');
  if (after !== undefined && /^\d+$/.test(after.trim())) return Number(after.trim());
  const reset = header(headers, 'x-ratelimit-reset');
  const at = reset !== undefined ? Date.parse(reset) : Number.NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
