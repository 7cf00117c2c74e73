/**
 * The sandbox's GitHub: the fake GitHub with one demo repository, where the demo catalog's follow-ups go, and
 * an account for each person of the sandbox workspace under the same email (`<name>@example.com`), so an
 * action's owner becomes the issue's assignee as with a real GitHub. Its logins differ from the Slack names on
 * purpose: the page then shows that the owner was found by email, not by name. Its token and webhook secret
 * are new on every run, like the sandbox's other secrets. It keeps nothing itself: at start, the issues Muster
 * linked are made again from Muster's own records (restoreIssues), so a restart neither loses them nor gives
 * a new issue the number of one an action item already links to.
 */
import { randomBytes } from 'node:crypto';
import { FakeGitHub, type FakeGitHubIssue } from './trackers/github-api.js';

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
  now: () => number;
}): SandboxGitHub {
  const webhookSecret = randomBytes(20).toString('hex');
  const fake = new FakeGitHub({
    basePath: opts.basePath,
    webUrl: opts.webUrl,
    now: opts.now,
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

/** An issue Muster linked to an action item, as its database tells it. */
export interface LinkedIssue {
  /** `acme/storefront#1` */
  key: string;
  title: string;
  done: boolean;
  /** the action's owner's email, for the assignee */
  ownerEmail: string | null;
  createdAt: number;
}

/** Makes again, in a fresh fake, the issues Muster linked; keys that are not GitHub's `owner/repo#n` are left out. */
export function restoreIssues(fake: FakeGitHub, linked: LinkedIssue[]): void {
  for (const l of linked) {
    const m = /^([^/\s#]+\/[^/\s#]+)#(\d+)$/.exec(l.key);
    if (!m?.[1] || !m[2]) continue;
    const [repo, number] = [m[1], Number(m[2])];
    if (fake.issues.some((i) => i.repo === repo && i.number === number)) continue;
    const owner = l.ownerEmail?.toLowerCase();
    const assignee = fake.users.find((u) => owner !== undefined && u.email?.toLowerCase() === owner);
    const at = new Date(l.createdAt).toISOString();
    const issue: FakeGitHubIssue = {
      number,
      repo,
      title: l.title,
      body: null,
      labels: ['muster'],
      assignees: assignee ? [assignee.login] : [],
      state: l.done ? 'closed' : 'open',
      creator: fake.viewer.login,
      createdAt: at,
      updatedAt: at,
      closedAt: l.done ? at : null,
    };
    fake.repos.add(repo);
    fake.issues.push(issue);
  }
}
