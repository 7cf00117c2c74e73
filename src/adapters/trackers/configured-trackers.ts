/**
 * The Trackers port over the environment: a tracker is there when its credentials are set (GITHUB_TOKEN,
 * LINEAR_API_KEY, JIRA_BASE_URL with JIRA_EMAIL and JIRA_API_TOKEN). A follow-up whose tracker has none fails
 * with `not_configured`, told in the channel like any refusal.
 */
import type { Config } from '../../config.js';
import type { Tracker, TrackerKind, Trackers } from '../../domain/ports/tracker.js';

export type TrackerConfig = Pick<
  Config,
  | 'GITHUB_TOKEN'
  | 'GITHUB_API_URL'
  | 'JIRA_BASE_URL'
  | 'JIRA_EMAIL'
  | 'JIRA_API_TOKEN'
  | 'LINEAR_API_KEY'
  | 'LINEAR_API_URL'
>;

/**
 * A tracker whose client is loaded on first use: the SDKs (Octokit, jira.js with axios, @linear/sdk's generated
 * client) stay out of start-up time and memory until a follow-up needs them. A load that fails is tried again
 * at the next call.
 */
function lazy(kind: TrackerKind, load: () => Promise<Tracker>): Tracker {
  let loaded: Promise<Tracker> | null = null;
  const tracker = (): Promise<Tracker> => {
    loaded ??= load().catch((e: unknown) => {
      loaded = null;
      throw e;
    });
    return loaded;
  };
  return {
    kind,
    create: async (target, draft) => (await tracker()).create(target, draft),
    find: async (target, key) => (await tracker()).find(target, key),
    state: async (ref) => (await tracker()).state(ref),
    findUser: async (target, email) => (await tracker()).findUser(target, email),
  };
}

/** Builds the trackers the config has credentials for; each call takes at most `timeoutMs` (default 10 s). */
export function configuredTrackers(
  config: TrackerConfig,
  options: { timeoutMs?: number; now?: () => number } = {},
): Trackers {
  const timeout = options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {};
  const now = options.now ? { now: options.now } : {};
  const byKind: Partial<Record<TrackerKind, Tracker>> = {};
  const { GITHUB_TOKEN: token, JIRA_BASE_URL: baseUrl, JIRA_EMAIL: email, JIRA_API_TOKEN: apiToken } = config;
  if (token) {
    byKind.github = lazy('github', async () => {
      const { GitHubTracker } = await import('./github.js');
      return new GitHubTracker({ token, apiUrl: config.GITHUB_API_URL, ...timeout, ...now });
    });
  }
  if (baseUrl && email && apiToken) {
    byKind.jira = lazy('jira', async () => {
      const { JiraTracker } = await import('./jira.js');
      return new JiraTracker({ baseUrl, email, apiToken, ...timeout, ...now });
    });
  }
  const apiKey = config.LINEAR_API_KEY;
  if (apiKey) {
    byKind.linear = lazy('linear', async () => {
      const { LinearTracker } = await import('./linear.js');
      return new LinearTracker({ apiKey, apiUrl: config.LINEAR_API_URL, ...timeout });
    });
  }
  return { get: (kind) => byKind[kind] ?? null };
}
