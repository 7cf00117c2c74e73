/**
 * The configuration the app runs with in the sandbox: the given one, with Slack, PagerDuty and GitHub pointed
 * at the built-in workspace and fakes on the app's own port (and no Jira or Linear: the sandbox's follow-ups
 * never reach a real tracker), the seeded #incidents as the announce channel, the
 * sandbox's own Muster database (SANDBOX_DATABASE_URL) in place of DATABASE_URL, and the demo catalog when no
 * catalog file exists. Parsed by loadConfig like any other environment.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, loadConfig } from '../../../src/index.js';
import { packageRoot } from './package-root.js';

export interface SandboxSettings {
  port: number;
  /** where the app reaches the sandbox's server: `http://host:port` */
  localUrl: string;
  botToken: string;
  signingSecret: string;
  webhookSecret: string;
  announceChannel: string;
  /** the fake PagerDuty's base URL (scheme, host, port and base path) */
  pagerdutyUrl: string;
  pagerdutyToken: string;
  pagerdutyFrom: string;
  /** the fake GitHub's API URL (scheme, host, port and base path), its token and webhook secret */
  githubUrl: string;
  githubToken: string;
  githubWebhookSecret: string;
  /** extra variables, such as the routing keys the demo catalog reads */
  env: Record<string, string>;
}

/** The demo catalog shipped with the sandbox. */
export const demoCatalogPath = (): string => join(packageRoot(), 'demo-catalog/catalog.yaml');

/** Derives the sandbox's config; `catalog` says which catalog file it uses. */
export function sandboxConfig(
  base: Config,
  s: SandboxSettings,
): { config: Config; catalog: 'configured' | 'demo' } {
  const configured = existsSync(base.CATALOG_PATH);
  const local = s.localUrl;
  const {
    SLACK_APP_TOKEN: _socketMode,
    // a developer's tracker credentials stay out: an incident played in the sandbox files no real issue
    JIRA_BASE_URL: _jiraSite,
    JIRA_EMAIL: _jiraEmail,
    JIRA_API_TOKEN: _jiraToken,
    JIRA_WEBHOOK_SECRET: _jiraSecret,
    LINEAR_API_KEY: _linearKey,
    LINEAR_API_URL: _linearUrl,
    LINEAR_WEBHOOK_SECRET: _linearSecret,
    ...env
  } = base.env;
  const parsed = loadConfig({
    ...env,
    ...s.env,
    SLACK_BOT_TOKEN: s.botToken,
    SLACK_SIGNING_SECRET: s.signingSecret,
    SLACK_API_URL: `${local}/api/`,
    PORT: String(s.port),
    // The sandbox never opens the bot's database: its incidents and pages live in a database of their own (and
    // its workspace in the sandbox's state file).
    DATABASE_URL: base.SANDBOX_DATABASE_URL,
    INCIDENT_ANNOUNCE_CHANNEL: s.announceChannel,
    CATALOG_PATH: configured ? base.CATALOG_PATH : demoCatalogPath(),
    PAGERDUTY_API_URL: s.pagerdutyUrl,
    PAGERDUTY_EVENTS_URL: s.pagerdutyUrl,
    PAGERDUTY_API_TOKEN: s.pagerdutyToken,
    PAGERDUTY_FROM: s.pagerdutyFrom,
    PAGERDUTY_WEBHOOK_SECRET: s.webhookSecret,
    GITHUB_TOKEN: s.githubToken,
    GITHUB_API_URL: s.githubUrl,
    GITHUB_WEBHOOK_SECRET: s.githubWebhookSecret,
    // Slack messages link to the sandbox's own incidents page, which needs no sign-in (the client is unused).
    WEB_BASE_URL: local,
    SLACK_CLIENT_ID: 'sandbox',
    SLACK_CLIENT_SECRET: s.signingSecret,
  });
  return { config: Object.freeze({ ...parsed, sandbox: true }), catalog: configured ? 'configured' : 'demo' };
}
