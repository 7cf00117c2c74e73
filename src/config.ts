/**
 * The only reader of the environment: `.env` (when present) and process.env, parsed once by zod into a
 * frozen, typed object. A missing or malformed variable is a ConfigError naming it and what is expected.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse as parseDotenv } from 'dotenv';
import * as z from 'zod';
import { describeValue } from './config-value.js';
import { INCIDENT_POLICIES } from './domain/incident-policy.js';
import { distance } from './domain/nearest.js';

// Present-but-empty variables are refused before parsing (see emptyVariable), so unset is the only "not given".
const optionalString = z.string().trim().optional();

/**
 * Node's own IP check, loaded only for a HOST that is not a name or an IPv4 address (`::`, `::1`): `node:net`
 * and the stream modules it loads cost a one-shot command such as `muster export` about 10 ms.
 */
const isIP = (s: string): number =>
  (createRequire(import.meta.url)('node:net') as typeof import('node:net')).isIP(s);

const sqliteFile = () =>
  z
    .string()
    .trim()
    .min(1, { message: 'a path to the SQLite file' })
    .refine((s) => !/^postgres(ql)?:/.test(s), {
      message: 'a SQLite file path (postgres is not supported yet)',
    });

/** `postgres://` or `postgresql://`: DATABASE_URL selects PostgreSQL; anything else is a SQLite file. */
export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);

/** A SQLite file, or a PostgreSQL URL that names a host (`postgres://user:password@host:5432/muster?sslmode=require`). */
const databaseUrl = () =>
  z
    .string()
    .trim()
    .min(1, { message: 'a path to the SQLite file, or a postgres:// URL' })
    .refine(
      (s) => {
        if (!isPostgresUrl(s)) return !/^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^sqlite:/i.test(s);
        try {
          return new URL(s).hostname !== '' || new URL(s).searchParams.has('host');
        } catch {
          return false;
        }
      },
      {
        message:
          'a SQLite file path, or a postgres:// URL with a host (postgres://user:password@host:5432/muster)',
      },
    );

const isTimeZone = (tz: string): boolean => {
  // UTC, the default, needs no lookup (and so no time zone data loaded at start-up).
  if (tz === 'UTC') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const url = (what: string) =>
  z
    .string()
    .trim()
    .refine((s) => /^https?:\/\/[^\s]+$/i.test(s), { message: `an http(s) URL for ${what}` });

const minutes = z.coerce
  .number({ message: 'a number of minutes' })
  .min(0, { message: 'a number of minutes, 0 or more' });

const schema = z.object({
  SLACK_BOT_TOKEN: optionalString.refine((s) => s === undefined || /^xox[bp]-/.test(s), {
    message: 'a bot token starting with xoxb-',
  }),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.refine((s) => s === undefined || s.startsWith('xapp-'), {
    message: 'an app-level token starting with xapp-',
  }),
  SLACK_API_URL: url('the Slack Web API').default('https://slack.com/api/'),
  PORT: z.coerce
    .number({ message: 'a port number' })
    .int({ message: 'a whole port number' })
    .min(0, { message: 'a port number from 0 to 65535' })
    .max(65535, { message: 'a port number from 0 to 65535' })
    .default(3000),
  HOST: optionalString.refine((s) => s === undefined || /^[A-Za-z0-9.:-]+$/.test(s), {
    message: 'an address to listen on, such as 127.0.0.1, 0.0.0.0 or ::',
  }),
  DATABASE_URL: databaseUrl().default('./data/muster.db'),
  DATABASE_POOL_SIZE: z.coerce
    .number({ message: 'a number of connections' })
    .int({ message: 'a whole number of connections' })
    .min(1, { message: 'a number of connections from 1 to 100' })
    .max(100, { message: 'a number of connections from 1 to 100' })
    .default(10),
  SANDBOX_DATABASE_URL: sqliteFile().default('./data/sandbox.db'),
  /** the sandbox's own state (its workspace); unset: beside SANDBOX_DATABASE_URL (packages/sandbox decides) */
  SANDBOX_STATE_FILE: sqliteFile().optional(),
  INCIDENT_ANNOUNCE_CHANNEL: optionalString.refine((s) => s === undefined || /^[CG][A-Z0-9]+$/.test(s), {
    message: 'a channel ID such as C0123456789',
  }),
  INCIDENT_CHANNEL_PREFIX: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{0,20}$/, {
      message: 'lowercase letters, digits, - or _, at most 21 characters',
    })
    .default('inc'),
  /** how a private incident is told in the announce and team channels: a notice without its title, or nothing */
  PRIVATE_ANNOUNCE: z
    .enum(['redacted', 'none'], { message: 'redacted (a notice without the title) or none' })
    .default('redacted'),
  TIMELINE_EMOJI: z
    .string()
    .trim()
    .default('pushpin')
    .transform((s) =>
      s
        .split(',')
        .map((e) => e.trim().replace(/^:|:$/g, ''))
        .filter(Boolean),
    )
    .refine((list) => list.length > 0, { message: 'at least one reaction name, comma-separated' }),
  INCIDENT_TIMEZONE: z
    .string()
    .trim()
    .default('UTC')
    .refine(isTimeZone, { message: 'an IANA time zone such as Europe/Berlin' }),
  /** who may steer an incident: everyone (`open`), or its role holders and declarer (`responders`) */
  INCIDENT_POLICY: z
    .enum(INCIDENT_POLICIES, { message: `one of ${INCIDENT_POLICIES.join(', ')}` })
    .default('open'),
  CATALOG_PATH: z.string().trim().default('./catalog.yaml'),
  POSTMORTEM_TEMPLATE: z.string().trim().default('templates/postmortem.md.hbs'),
  PAGERDUTY_API_TOKEN: optionalString,
  PAGERDUTY_FROM: optionalString.refine((s) => s === undefined || /^[^@\s]+@[^@\s]+$/.test(s), {
    message: 'the email of a PagerDuty user',
  }),
  PAGERDUTY_API_URL: url('the PagerDuty REST API').default('https://api.pagerduty.com'),
  PAGERDUTY_EVENTS_URL: url('the PagerDuty Events API').default('https://events.pagerduty.com'),
  PAGERDUTY_WEBHOOK_SECRET: optionalString,
  PAGE_ESCALATION_MINUTES: minutes.default(10),
  /** a token that may create issues in the follow-up repositories (GitHub Issues) */
  GITHUB_TOKEN: optionalString,
  GITHUB_API_URL: url('the GitHub REST API (GitHub Enterprise: https://github.example.com/api/v3)').default(
    'https://api.github.com',
  ),
  GITHUB_WEBHOOK_SECRET: optionalString,
  JIRA_BASE_URL: url('your Jira Cloud site, e.g. https://example.atlassian.net').optional(),
  JIRA_EMAIL: optionalString.refine((s) => s === undefined || /^[^@\s]+@[^@\s]+$/.test(s), {
    message: 'the email of the Jira user the API token belongs to',
  }),
  JIRA_API_TOKEN: optionalString,
  JIRA_WEBHOOK_SECRET: optionalString,
  LINEAR_API_KEY: optionalString,
  LINEAR_API_URL: url('the Linear GraphQL API').default('https://api.linear.app/graphql'),
  LINEAR_WEBHOOK_SECRET: optionalString,
  /**
   * Where people reach Muster's web page (`/incidents` is appended), e.g. https://muster.example.com: Slack
   * messages link to it, and Sign in with Slack returns to it. With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET.
   */
  WEB_BASE_URL: url('where people reach Muster, e.g. https://muster.example.com')
    .refine((s) => !/[?#]/.test(s), { message: 'a base URL without a query or fragment' })
    .transform((s) => s.replace(/\/+$/, ''))
    .optional(),
  /** the Slack app's OAuth client, for Sign in with Slack on the web page */
  SLACK_CLIENT_ID: optionalString,
  SLACK_CLIENT_SECRET: optionalString,
  /** the weekly DM to each owner of overdue follow-up actions */
  FOLLOW_UP_REMINDER: z.enum(['weekly', 'off'], { message: 'weekly or off' }).default('weekly'),
  UPDATE_CADENCE_MINUTES: z
    .string()
    .trim()
    .default('15,30,60,0')
    .transform((s) => s.split(',').map((n) => Number(n.trim())))
    .refine((l) => l.length === 4 && l.every((n) => Number.isFinite(n) && n >= 0), {
      message: 'four numbers of minutes for sev1,sev2,sev3,sev4 (0 turns the reminder off), e.g. 15,30,60,0',
    }),
  ROLE_REMINDER_MINUTES: minutes.default(10),
  RETENTION_DAYS: z.coerce
    .number({ message: 'a whole number of days, 1 or more' })
    .int({ message: 'a whole number of days, 1 or more' })
    .min(1, { message: 'a whole number of days, 1 or more' })
    .default(30),
  COMMANDS_PER_MINUTE: z.coerce
    .number({ message: 'a number' })
    .int()
    .min(1, { message: 'a number, 1 or more' })
    .default(120),
  /** slash commands per minute from a whole workspace; unset: 10 times COMMANDS_PER_MINUTE */
  COMMANDS_PER_MINUTE_WORKSPACE: z.coerce
    .number({ message: 'a number' })
    .int({ message: 'a whole number, 1 or more' })
    .min(1, { message: 'a whole number, 1 or more' })
    .optional(),
  /** the port of GET /metrics (never PORT); `off` serves no metrics */
  METRICS_PORT: z
    .string()
    .trim()
    .default('9464')
    .refine((s) => s === 'off' || (/^\d{1,5}$/.test(s) && Number(s) <= 65535), {
      message: 'a port number from 0 to 65535, or off',
    })
    .transform((s) => (s === 'off' ? null : Number(s))),
  METRICS_HOST: z
    .string()
    .trim()
    .default('127.0.0.1')
    .refine((s) => /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(s) || isIP(s) !== 0, {
      message: 'an address to listen on, such as 127.0.0.1 or 0.0.0.0',
    }),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
});

export type Config = Readonly<z.infer<typeof schema>> & {
  /** true when no Slack credential variable is set at all: the built-in sandbox workspace stands in for Slack */
  readonly sandbox: boolean;
  /** NODE_ENV is `production`: `muster start` then refuses to fall back to the sandbox */
  readonly production: boolean;
  /** the raw environment, for `${ENV_NAME}` references in the service catalog */
  readonly env: Readonly<Record<string, string | undefined>>;
};

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads `.env` from `cwd` without overriding variables already set. */
export function readEnv(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Record<string, string | undefined> {
  const file = `${cwd}/.env`;
  const fromFile = existsSync(file) ? parseDotenv(readFileSync(file)) : {};
  return { ...fromFile, ...env };
}

/** Parses the environment; throws ConfigError with one line naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = readEnv()): Config {
  const refused = emptyVariable(env) ?? unknownSlackVariable(env);
  if (refused) throw new ConfigError(refused);
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`${name} ${describeValue(name, env[name])}: expected ${issue.message}`);
  }
  const c = result.data;
  const hasToken = c.SLACK_BOT_TOKEN !== undefined;
  const hasSecret = c.SLACK_SIGNING_SECRET !== undefined;
  if (hasToken !== hasSecret) {
    const missing = hasToken ? 'SLACK_SIGNING_SECRET' : 'SLACK_BOT_TOKEN';
    throw new ConfigError(
      `${missing} is not set: expected both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (or neither, for the local sandbox)`,
    );
  }
  const jira = [c.JIRA_BASE_URL, c.JIRA_EMAIL, c.JIRA_API_TOKEN];
  if (jira.some((v) => v !== undefined) && jira.some((v) => v === undefined)) {
    const missing = ['JIRA_BASE_URL', 'JIRA_EMAIL', 'JIRA_API_TOKEN'].filter((_, i) => jira[i] === undefined);
    throw new ConfigError(
      `${missing.join(' and ')} not set: Jira needs JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN together`,
    );
  }
  const web = [c.WEB_BASE_URL, c.SLACK_CLIENT_ID, c.SLACK_CLIENT_SECRET];
  if (hasToken && web.some((v) => v !== undefined) && web.some((v) => v === undefined)) {
    const names = ['WEB_BASE_URL', 'SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET'];
    const missing = names.filter((_, i) => web[i] === undefined);
    throw new ConfigError(
      `${missing.join(' and ')} not set: the web page needs WEB_BASE_URL, SLACK_CLIENT_ID and SLACK_CLIENT_SECRET together (Sign in with Slack)`,
    );
  }
  if (c.SLACK_APP_TOKEN && !hasToken) {
    throw new ConfigError('SLACK_BOT_TOKEN is not set: expected it with SLACK_APP_TOKEN for Socket Mode');
  }
  return Object.freeze({
    ...c,
    sandbox: !hasToken,
    production: env.NODE_ENV === 'production',
    env: Object.freeze({ ...env }),
  });
}

/** The variables Muster reads. */
export const MUSTER_VARIABLES: readonly string[] = Object.keys(schema.shape);

/**
 * The first Muster variable that is set but empty (or blank). An empty variable is what a missing
 * Kubernetes secret or a half-filled `.env` produces: it is refused rather than read as "not set",
 * so an empty SLACK_BOT_TOKEN never quietly turns a production start into the sandbox.
 */
function emptyVariable(env: Record<string, string | undefined>): string | null {
  const name = MUSTER_VARIABLES.find((n) => env[n] !== undefined && env[n]!.trim() === '');
  return name ? `${name} is set but empty: give it a value, or remove it to use the default` : null;
}

/**
 * A `SLACK_*` variable Muster does not read. One close to a Muster variable is most likely a misspelling
 * (SLACK_BOT_TOKN, SLACK_APP_TOKN) and is refused in every mode, with the name it probably meant, since a
 * misspelt variable would otherwise leave Muster without it. Another one (SLACK_WEBHOOK_URL, set for some
 * other tool) is refused only when no Slack credential is set, where it would otherwise let a start that
 * was meant for Slack come up as the sandbox.
 */
function unknownSlackVariable(env: Record<string, string | undefined>): string | null {
  const known = MUSTER_VARIABLES.filter((n) => n.startsWith('SLACK_'));
  const unknown = Object.keys(env).filter(
    (n) => n.startsWith('SLACK_') && env[n] !== undefined && !known.includes(n),
  );
  // nearest first; on a tie the variable listed first (SLACK_TOKEN means the bot token, not the app token)
  const nearestTo = (name: string) =>
    known
      .map((k) => ({ k, d: distance(name, k) }))
      .sort((a, b) => a.d - b.d)
      .find(({ k, d }) => d <= Math.max(2, Math.ceil(k.length / 3)));
  for (const name of unknown) {
    const nearest = nearestTo(name);
    if (nearest) return `${name} is not a Muster variable: did you mean ${nearest.k}?`;
  }
  const credentials = env.SLACK_BOT_TOKEN !== undefined || env.SLACK_SIGNING_SECRET !== undefined;
  if (unknown.length === 0 || credentials) return null;
  return `${unknown[0]} is not a Muster variable: the Slack variables are ${known.join(', ')}`;
}

/** The Slack variables: any of the first three selects Slack mode for `muster start`; the sandbox ignores them all. */
export const SLACK_VARIABLES = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'SLACK_API_URL',
  'SLACK_CLIENT_ID',
  'SLACK_CLIENT_SECRET',
] as const;

/**
 * The environment for `muster sandbox`: without the Slack variables it ignores (named in `ignored`). Blank ones
 * are kept, so loadConfig still refuses them: an empty variable is an error in every mode.
 */
export function withoutSlack(env: Record<string, string | undefined>): {
  env: Record<string, string | undefined>;
  ignored: string[];
} {
  const ignored = SLACK_VARIABLES.filter((n) => env[n] !== undefined && env[n]!.trim() !== '');
  const rest = { ...env };
  for (const n of ignored) delete rest[n];
  return { env: rest, ignored };
}

/** The address the HTTP server listens on: HOST, else every interface for Slack and this machine only for the sandbox. */
export function listenHost(config: Pick<Config, 'HOST' | 'sandbox'>): string {
  return config.HOST ?? (config.sandbox ? '127.0.0.1' : '0.0.0.0');
}

/** True for an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** `http://host:port` for an address to listen on (IPv6 in brackets). */
export function httpAddress(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
