/**
 * The only reader of the environment: `.env` (when present) and process.env, parsed once by zod into a
 * frozen, typed object. A missing or malformed variable is a ConfigError naming it and what is expected.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const isTimeZone = (tz: string): boolean => {
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
  DATABASE_URL: z
    .string()
    .trim()
    .min(1, { message: 'a path to the SQLite file' })
    .refine((s) => !/^postgres(ql)?:/.test(s), { message: 'a SQLite file path (postgres is not supported yet)' })
    .default('./data/muster.db'),
  INCIDENT_ANNOUNCE_CHANNEL: optionalString.refine((s) => s === undefined || /^[CG][A-Z0-9]+$/.test(s), {
    message: 'a channel ID such as C0123456789',
  }),
  INCIDENT_CHANNEL_PREFIX: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{0,20}$/, { message: 'lowercase letters, digits, - or _, at most 21 characters' })
    .default('inc'),
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
  INCIDENT_TIMEZONE: z.string().trim().default('UTC').refine(isTimeZone, { message: 'an IANA time zone such as Europe/Berlin' }),
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
  COMMANDS_PER_MINUTE: z.coerce.number({ message: 'a number' }).int().min(1, { message: 'a number, 1 or more' }).default(120),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'one of fatal, error, warn, info, debug, trace, silent',
  }).default('info'),
});

export type Config = Readonly<z.infer<typeof schema>> & {
  /** true when neither Slack credential is set: the built-in sandbox workspace stands in for Slack */
  readonly sandbox: boolean;
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
export function readEnv(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Record<string, string | undefined> {
  const file = `${cwd}/.env`;
  const fromFile = existsSync(file) ? parseDotenv(readFileSync(file)) : {};
  return { ...fromFile, ...env };
}

/** Parses the environment; throws ConfigError with one line naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = readEnv()): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const value = env[name];
    const shown = value === undefined ? 'is not set' : `is "${redactIfSecret(name, value)}"`;
    throw new ConfigError(`${name} ${shown}: expected ${issue.message}`);
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
  if (c.SLACK_APP_TOKEN && !hasToken) {
    throw new ConfigError('SLACK_BOT_TOKEN is not set: expected it with SLACK_APP_TOKEN for Socket Mode');
  }
  return Object.freeze({ ...c, sandbox: !hasToken, env: Object.freeze({ ...env }) });
}

const redactIfSecret = (name: string, value: string): string =>
  /TOKEN|SECRET/.test(name) ? `${value.slice(0, 5)}…` : value.length > 60 ? `${value.slice(0, 60)}…` : value;
