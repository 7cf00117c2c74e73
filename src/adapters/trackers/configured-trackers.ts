/**
 * The Trackers port over the environment: a tracker is there when its credentials are set (GITHUB_TOKEN,
 * LINEAR_API_KEY, JIRA_BASE_URL with JIRA_EMAIL and JIRA_API_TOKEN). A follow-up whose tracker has none fails
 * with `not_configured`, told in the channel like any refusal.
 */
import type { Config } from '../../config.js';
import type { Tracker, TrackerKind, Trackers } from '../../domain/ports/tracker.js';
import { GitHubTracker } from './github.js';
import { JiraTracker } from './jira.js';
import { LinearTracker } from './linear.js';

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

/** Builds the trackers the config has credentials for; each call takes at most `timeoutMs` (default 10 s). */
export function configuredTrackers(
  config: TrackerConfig,
  options: { timeoutMs?: number; now?: () => number } = {},
): Trackers {
  const timeout = options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {};
  const byKind: Partial<Record<TrackerKind, Tracker>> = {};
  if (config.GITHUB_TOKEN) {
    byKind.github = new GitHubTracker({
      token: config.GITHUB_TOKEN,
      apiUrl: config.GITHUB_API_URL,
      ...timeout,
      ...(options.now ? { now: options.now } : {}),
    });
  }
  if (config.JIRA_BASE_URL && config.JIRA_EMAIL && config.JIRA_API_TOKEN) {
    byKind.jira = new JiraTracker({
      baseUrl: config.JIRA_BASE_URL,
      email: config.JIRA_EMAIL,
      apiToken: config.JIRA_API_TOKEN,
      ...timeout,
      ...(options.now ? { now: options.now } : {}),
    });
  }
  if (config.LINEAR_API_KEY) {
    byKind.linear = new LinearTracker({
      apiKey: config.LINEAR_API_KEY,
      apiUrl: config.LINEAR_API_URL,
      ...timeout,
    });
  }
  return { get: (kind) => byKind[kind] ?? null };
}
