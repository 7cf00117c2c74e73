/** Failures a test asks the sandbox Web API to answer with: once, a few times, or until cleared. */

export interface SlackFailure {
  /** Slack error code; `ratelimited` answers HTTP 429 with Retry-After */
  error?: string;
  /** HTTP status; 429 is a rate limit, 5xx a server failure */
  status?: number;
  /** seconds, for rate limits (default 1) */
  retryAfter?: number;
  /** how many calls fail (failNext only; default 1) */
  times?: number;
}

/** What the server answers for a failed call. */
export interface FailureAnswer {
  status: number;
  headers: Record<string, string>;
  body: { ok: false; error: string };
}

export class SlackFailurePlan {
  private readonly queued: { method: string; failure: SlackFailure; left: number }[] = [];
  private readonly always = new Map<string, SlackFailure>();

  /** The next `times` calls of `method` ('*' for any) fail. Queued failures run in order. */
  failNext(method: string, failure: SlackFailure = {}): void {
    this.queued.push({ method, failure, left: Math.max(1, failure.times ?? 1) });
  }

  /** Every call of `method` ('*' for any) fails until clearFailures(). */
  failAlways(method: string, failure: SlackFailure = {}): void {
    this.always.set(method, failure);
  }

  clearFailures(): void {
    this.queued.length = 0;
    this.always.clear();
  }

  /** The answer for this call of `method` when a failure is due, consuming a queued one; else null. */
  take(method: string): FailureAnswer | null {
    const entry = this.queued.find((q) => q.method === method || q.method === '*');
    if (entry) {
      entry.left -= 1;
      if (entry.left === 0) this.queued.splice(this.queued.indexOf(entry), 1);
      return answerFor(entry.failure);
    }
    const always = this.always.get(method) ?? this.always.get('*');
    return always ? answerFor(always) : null;
  }
}

function answerFor(f: SlackFailure): FailureAnswer {
  if (f.error === 'ratelimited' || f.status === 429) {
    return {
      status: 429,
      headers: { 'retry-after': String(f.retryAfter ?? 1) },
      body: { ok: false, error: 'ratelimited' },
    };
  }
  return { status: f.status ?? 200, headers: {}, body: { ok: false, error: f.error ?? 'internal_error' } };
}
