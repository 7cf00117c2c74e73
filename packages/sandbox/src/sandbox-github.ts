/**
 * The sandbox's GitHub: the fake GitHub with one demo repository, where the demo catalog's follow-ups go, and
 * an account for each person of the sandbox workspace under the same email (`<name>@example.com`), so an
 * action's owner becomes the assignee as with a real GitHub. Its logins differ from the Slack names on
 * purpose: the page then shows that the owner was found by email, not by name. Its token and webhook secret
 * are new on every run, like the sandbox's other secrets.
 */
import { randomBytes } from 'node:crypto';
import { FakeGitHub } from './trackers/github-api.js';

/** The repository the demo catalog's follow-ups go to (`follow_ups: { github: acme/storefront }`). */
export const DEMO_REPO = 'acme/storefront';

export interface SandboxGitHub {
  fake: FakeGitHub;
  /** the secret the fake signs its webhooks with, and Muster checks them with (GITHUB_WEBHOOK_SECRET) */
  webhookSecret: string;
}

/**
 * Creates the sandbox's fake GitHub, its API served under `basePath` and its issues' pages at `webUrl`, its
 * webhooks sent to `webhookUrl`.
 */
export function createSandboxGitHub(opts: {
  basePath: string;
  webUrl: string;
  webhookUrl: string;
}): SandboxGitHub {
  const webhookSecret = randomBytes(20).toString('hex');
  const fake = new FakeGitHub({
    basePath: opts.basePath,
    webUrl: opts.webUrl,
    token: `ghp_sandbox_${randomBytes(18).toString('hex')}`,
    viewer: { login: 'muster-bot', name: 'Muster', email: null },
    users: [
      { login: 'alice-sre', name: 'Alice Example', email: 'alice@example.com' },
      { login: 'bobmartinez', name: 'Bob Martinez', email: 'bob@example.com' },
      { login: 'carol-ng', name: 'Carol Nguyen', email: 'carol@example.com' },
      { login: 'dokafor', name: 'Dave Okafor', email: 'dave@example.com' },
    ],
    repos: [DEMO_REPO],
    webhookUrl: opts.webhookUrl,
    webhookSecret,
  });
  return { fake, webhookSecret };
}
