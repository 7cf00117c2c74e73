/**
 * The sandbox's GitHub as the page shows it: its issues with the action item and incident each came from
 * (`issues()`, for the page state), and `POST /sandbox/issue`, where a person in the page closes or reopens
 * one as they would in GitHub. The fake then sends Muster the signed `issues` webhook, as GitHub would, and
 * Muster marks the action item done (or open again).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { incidentRef, sendJson } from '../../../src/index.js';
import type { IssueView } from './page-state.js';
import { readPagePost } from './sandbox-page-post.js';
import type { SlackWorkspace } from './slack-workspace.js';
import type { FakeGitHub, FakeGitHubIssue, FakeGitHubUser } from './trackers/github-api.js';

/** Where the fake GitHub's issue pages are (its `html_url`s): each opens the sandbox page with the issue. */
export const ISSUE_PAGE_PATH = '/sandbox/issues';
/** How many issues the page lists at most, newest first. */
export const ISSUES_SHOWN = 50;

/** What Muster knows of the issue's action item: its incident and channel, the issue, whether it is done. */
export interface IssueOrigin {
  incidentNumber: number;
  channelId: string | null;
  /** the issue Muster linked, `acme/storefront#1` */
  issueKey: string | null;
  actionDone: boolean;
}

export interface SandboxIssuesOptions {
  github: FakeGitHub;
  workspace: SlackWorkspace;
  /** Muster's follow-up whose issue is this GitHub issue number, if any */
  originOf: (issueNumber: number) => Promise<IssueOrigin | null>;
  /** tells the open pages to fetch their state again */
  changed: () => void;
}

/** A person closing or reopening an issue, as the page (or the demo) asks it. */
export type IssueAct = z.infer<typeof IssueActSchema>;

/** What closing or reopening answered: the HTTP status and body the route sends. */
export type IssueActOutcome =
  | { status: 200; body: { ok: true; issue: IssueView; webhookStatus: number | null } }
  | { status: 400 | 404 | 409; body: { ok: false; error: string } };

export interface SandboxIssues {
  /** The issues the page lists, newest first. */
  issues(): Promise<IssueView[]>;
  /**
   * Closes or reopens the issue as the person would in GitHub, and waits for the webhook the fake sends Muster
   * (`webhookStatus`: what Muster answered, null when it could not be reached).
   */
  act(a: IssueAct): Promise<IssueActOutcome>;
  /** Serves `POST /sandbox/issue`; false for any other request. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

const IssueActSchema = z.object({
  act: z.enum(['close', 'reopen']),
  /** the person in the page who closes or reopens it */
  user: z.string().min(1).max(64),
  repo: z.string().min(1).max(200),
  number: z.number().int().positive().max(1_000_000_000),
});

/** Creates the issue list and route over the sandbox's fake GitHub. */
export function createSandboxIssues(opts: SandboxIssuesOptions): SandboxIssues {
  const { github, workspace: ws } = opts;

  async function view(i: FakeGitHubIssue): Promise<IssueView> {
    const login = i.assignees[0];
    const origin = await opts.originOf(i.number);
    // an issue number alone may name an issue of another repository: only its own follow-up links it
    const key = `${i.repo}#${i.number}`;
    const own = origin?.issueKey === key ? origin : null;
    return {
      repo: i.repo,
      number: i.number,
      key,
      title: i.title,
      state: i.state,
      assignee: login ? { login, name: github.users.find((u) => u.login === login)?.name ?? null } : null,
      url: `${github.webUrl}/${i.repo}/issues/${i.number}`,
      incident: own
        ? {
            number: own.incidentNumber,
            ref: incidentRef(own.incidentNumber),
            channelId: own.channelId,
          }
        : null,
      actionDone: own ? own.actionDone : null,
    };
  }

  /** The GitHub account of a person in the page: theirs by email, else one named after them. */
  function accountOf(userId: string): FakeGitHubUser | null {
    const person = ws.user(userId);
    if (!person || person.isBot || person.deleted) return null;
    const email = person.email?.toLowerCase() ?? null;
    return (
      github.users.find((u) => email !== null && u.email?.toLowerCase() === email) ?? {
        login: person.name,
        name: person.realName,
        email,
      }
    );
  }

  async function act(a: IssueAct): Promise<IssueActOutcome> {
    const by = accountOf(a.user);
    if (!by) return { status: 400, body: { ok: false, error: 'user_not_found' } };
    const issue = github.issues.find((i) => i.repo === a.repo && i.number === a.number);
    if (!issue) return { status: 404, body: { ok: false, error: 'issue_not_found' } };
    if (issue.state === (a.act === 'close' ? 'closed' : 'open')) {
      // as in GitHub, an issue already in that state changes nothing and sends no webhook
      return {
        status: 409,
        body: { ok: false, error: a.act === 'close' ? 'already_closed' : 'already_open' },
      };
    }
    let webhookStatus: number | null;
    try {
      webhookStatus = a.act === 'close' ? await github.close(issue, by) : await github.reopen(issue, by);
    } catch {
      // the issue changed in GitHub; Muster could not be reached (its poll finds the change later)
      webhookStatus = null;
    }
    opts.changed();
    return { status: 200, body: { ok: true, issue: await view(issue), webhookStatus } };
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const a = await readPagePost(req, res, IssueActSchema);
    if (!a) return;
    const outcome = await act(a);
    sendJson(res, outcome.status, outcome.body);
  }

  return {
    act,
    async issues() {
      const newest = [...github.issues]
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.number - a.number)
        .slice(0, ISSUES_SHOWN);
      return Promise.all(newest.map(view));
    },
    handle(req, res) {
      const path = new URL(req.url ?? '/', 'http://sandbox.invalid').pathname;
      if (req.method !== 'POST' || path !== '/sandbox/issue') return false;
      serve(req, res).catch(() => {
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal_error' });
      });
      return true;
    },
  };
}
