/**
 * The catalog file's shape (snake_case, as an SRE writes it). Objects are strict so that unknown fields
 * surface: the loader turns those issues into warnings and everything else into errors. Every message
 * says what was expected; secrets (routing keys) are never echoed.
 */
import * as z from 'zod';
import type { Severity } from '../../domain/incident.js';

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
  },
  want('a service: a mapping with name, owner, ...'),
);

export const catalogSchema = z.strictObject(
  {
    runbooks_url: httpUrl('an http(s) URL of the runbooks folder').optional(),
    services: z.array(serviceSchema, want('a list of services')),
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
} as const;

export type CatalogFile = z.infer<typeof catalogSchema>;
export type ServiceEntry = z.infer<typeof serviceSchema>;
