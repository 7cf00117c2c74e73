/**
 * The catalog file's shape (snake_case, as an SRE writes it). Objects are strict so that unknown fields
 * surface: the loader turns those issues into warnings and everything else into errors. Every message
 * says what was expected; secrets (routing keys) are never echoed.
 */
import * as z from 'zod';
import type { Severity } from '../../domain/incident.js';
import type { FollowUpTarget } from '../../domain/ports/tracker.js';

/** How a value reads in an error message. */
export function describeInput(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'boolean') return `${v}`;
  return typeof v;
}

/** A zod error param: "missing: expected X" or "expected X, got Y" (Y hidden for secrets). */
const want = (what: string, secret = false) => ({
  error: (iss: { input?: unknown }) =>
    iss.input === undefined
      ? `missing: expected ${what}`
      : `expected ${what}${secret ? '' : `, got ${describeInput(iss.input)}`}`,
});

const text = (what: string) => z.string(want(what)).trim().min(1, `expected ${what}, got an empty string`);

const isHttpUrl = (s: string): boolean => {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
};

const httpUrl = (what: string) =>
  z
    .string(want(what))
    .trim()
    .refine(isHttpUrl, { error: (iss) => `expected ${what}, got ${describeInput(iss.input)}` });

const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** Longest service name: `muster-inc-<number>-<name>-<n>`, PagerDuty's dedup key, stays under its 255 characters. */
export const MAX_SERVICE_NAME = 100;
const CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;
const PAGERDUTY_ID = /^[A-Z0-9]{2,32}$/;

const severity = z.unknown().transform((v, ctx): Severity => {
  const m = /^(?:sev-?)?([1-4])$/i.exec(String(v ?? '').trim());
  if ((typeof v === 'string' || typeof v === 'number') && m) return Number(m[1]) as Severity;
  ctx.addIssue({
    code: 'custom',
    message: `expected one of sev1, sev2, sev3, sev4, got ${describeInput(v)}`,
  });
  return z.NEVER;
});

const runbook = z
  .strictObject(
    {
      title: text('a runbook title'),
      url: httpUrl('an http(s) URL').optional(),
      file: text('a markdown file path inside the runbooks folder').optional(),
    },
    want('a runbook: title plus url or file'),
  )
  .superRefine((r, ctx) => {
    if (r.url === undefined && r.file === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected url (an http(s) link) or file (a markdown file in the runbooks folder)',
      });
    } else if (r.url !== undefined && r.file !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected url or file, not both' });
    }
  });

const pagerduty = z
  .strictObject(
    {
      routing_key: z
        .string(want('an Events API v2 routing key (integration key)', true))
        .trim()
        .regex(/^\S+$/, 'expected an Events API v2 routing key (integration key) without spaces')
        .optional(),
      service_id: z
        .string(want('a PagerDuty service ID like PABC123'))
        .trim()
        .regex(PAGERDUTY_ID, {
          error: (iss) => `expected a PagerDuty service ID like PABC123, got ${describeInput(iss.input)}`,
        })
        .optional(),
      escalation_policy_id: z
        .string(want('a PagerDuty escalation policy ID like PXYZ789'))
        .trim()
        .regex(PAGERDUTY_ID, {
          error: (iss) =>
            `expected a PagerDuty escalation policy ID like PXYZ789, got ${describeInput(iss.input)}`,
        })
        .optional(),
    },
    want('a PagerDuty target: routing_key, and/or service_id and escalation_policy_id'),
  )
  .superRefine((p, ctx) => {
    const rest = p.service_id !== undefined || p.escalation_policy_id !== undefined;
    if (p.routing_key === undefined && !rest) {
      ctx.addIssue({
        code: 'custom',
        message: 'expected routing_key (Events API v2) and/or service_id and escalation_policy_id (REST API)',
      });
    }
    if (p.service_id !== undefined && p.escalation_policy_id === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['escalation_policy_id'],
        message:
          'missing: service_id needs escalation_policy_id too (the REST API pages and finds on-call through both)',
      });
    }
    if (p.escalation_policy_id !== undefined && p.service_id === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['service_id'],
        message:
          'missing: escalation_policy_id needs service_id too (the REST API pages and finds on-call through both)',
      });
    }
  });

/** GitHub's rules: an owner of letters, digits and inner hyphens (39 at most), a repository of letters, digits, ".", "_", "-". */
const GITHUB_REPO = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/;
/** Jira project keys: an uppercase letter, then uppercase letters, digits or "_". */
const JIRA_PROJECT = /^[A-Z][A-Z0-9_]{0,254}$/;
/** Linear team keys: letters and digits. */
const LINEAR_TEAM = /^[A-Za-z0-9]{1,20}$/;

/** Where follow-up issues go: exactly one of github, jira or linear. */
export const followUpsSchema = z
  .strictObject(
    {
      github: text('a GitHub repository as owner/repo')
        .regex(GITHUB_REPO, {
          error: (iss) =>
            `expected a GitHub repository as owner/repo, e.g. acme/checkout, got ${describeInput(iss.input)}`,
        })
        .optional(),
      jira: z
        .strictObject(
          {
            project: text('a Jira project key like OPS').regex(JIRA_PROJECT, {
              error: (iss) =>
                `expected a Jira project key like OPS (uppercase), got ${describeInput(iss.input)}`,
            }),
            issue_type: text('a Jira issue type like Task').optional(),
          },
          want('a mapping with project (and issue_type, default Task)'),
        )
        .optional(),
      linear: z
        .strictObject(
          {
            team: text('a Linear team key like ENG').regex(LINEAR_TEAM, {
              error: (iss) => `expected a Linear team key like ENG, got ${describeInput(iss.input)}`,
            }),
          },
          want('a mapping with team: a Linear team key like ENG'),
        )
        .optional(),
    },
    want('a mapping with one of github, jira or linear'),
  )
  .superRefine((f, ctx) => {
    const set = (['github', 'jira', 'linear'] as const).filter((k) => f[k] !== undefined);
    if (set.length === 0)
      ctx.addIssue({ code: 'custom', message: 'expected one of github, jira or linear, got none' });
    if (set.length > 1)
      ctx.addIssue({
        code: 'custom',
        message: `expected one tracker, got ${set.join(' and ')}: follow-ups go to one tracker per service`,
      });
  });

const paging = z.strictObject(
  {
    auto_page: z.array(severity, want('a list of severities, e.g. [sev1, sev2]')),
  },
  want('a mapping with auto_page: a list of severities, e.g. [sev1, sev2]'),
);

export const serviceSchema = z.strictObject(
  {
    name: text('a service name')
      .regex(SERVICE_NAME, {
        error: (iss) =>
          `expected one word of letters, digits, ".", "_" or "-" (it is typed in /incident page <name>), got ${describeInput(iss.input)}`,
      })
      .max(MAX_SERVICE_NAME, {
        error: (iss) =>
          `expected a service name of at most ${MAX_SERVICE_NAME} characters (it is part of the PagerDuty dedup key, limited to 255), got one of ${String((iss.input as string).length)}`,
      }),
    aliases: z
      .array(
        text('an alias').regex(/[\p{L}\p{N}]/u, {
          error: (iss) => `expected an alias with a letter or digit, got ${describeInput(iss.input)}`,
        }),
        want('a list of aliases'),
      )
      .nullish(),
    description: z.string(want('a description')).trim().nullish(),
    owner: text('the owning team'),
    team_channel: z
      .string(want('a Slack channel ID like C0123ABCD'))
      .trim()
      .regex(CHANNEL_ID, {
        error: (iss) =>
          `expected a Slack channel ID like C0123ABCD (channel details > About), not a name, got ${describeInput(iss.input)}`,
      })
      .nullish(),
    runbooks: z.array(runbook, want('a list of runbooks')).nullish(),
    pagerduty: pagerduty.nullish(),
    paging: paging.nullish(),
    follow_ups: followUpsSchema.nullish(),
  },
  want('a service: a mapping with name, owner, ...'),
);

export const catalogSchema = z.strictObject(
  {
    runbooks_url: httpUrl('an http(s) URL of the runbooks folder').optional(),
    services: z.array(serviceSchema, want('a list of services')),
    follow_ups: followUpsSchema.nullish(),
  },
  want('a mapping with a services list'),
);

/** The fields each mapping accepts, for the "did you mean" of an unknown-field warning. */
export const KNOWN_FIELDS = {
  catalog: Object.keys(catalogSchema.shape),
  service: Object.keys(serviceSchema.shape),
  runbooks: Object.keys(runbook.shape),
  pagerduty: Object.keys(pagerduty.shape),
  paging: Object.keys(paging.shape),
  follow_ups: Object.keys(followUpsSchema.shape),
} as const;

export type CatalogFile = z.infer<typeof catalogSchema>;
export type ServiceEntry = z.infer<typeof serviceSchema>;

/** The port's FollowUpTarget of a validated `follow_ups` mapping; null when absent. */
export function toFollowUpTarget(
  f: z.infer<typeof followUpsSchema> | null | undefined,
): FollowUpTarget | null {
  if (!f) return null;
  if (f.github !== undefined) return { tracker: 'github', repo: f.github };
  if (f.jira) return { tracker: 'jira', project: f.jira.project, issueType: f.jira.issue_type ?? 'Task' };
  if (f.linear) return { tracker: 'linear', team: f.linear.team };
  return null;
}
