import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  httpAddress,
  isLoopback,
  listenHost,
  loadConfig,
  MUSTER_VARIABLES,
  readEnv,
} from '../src/config.js';
import { describeValue, isSecretName } from '../src/config-value.js';
import { removeTempDirs, tempDir } from './support/temp-dir.js';
import { musterCommand } from './support/muster-process.js';

afterAll(() => removeTempDirs());

const base = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'shh-secret' };
const err = (env: Record<string, string | undefined>): string => {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('loaded without error');
};

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({
      SLACK_API_URL: 'https://slack.com/api/',
      PORT: 3000,
      DATABASE_URL: './data/muster.db',
      INCIDENT_CHANNEL_PREFIX: 'inc',
      PRIVATE_ANNOUNCE: 'redacted',
      TIMELINE_EMOJI: ['pushpin'],
      INCIDENT_TIMEZONE: 'UTC',
      CATALOG_PATH: './catalog.yaml',
      POSTMORTEM_TEMPLATE: 'templates/postmortem.md.hbs',
      PAGERDUTY_API_URL: 'https://api.pagerduty.com',
      PAGERDUTY_EVENTS_URL: 'https://events.pagerduty.com',
      LOG_LEVEL: 'info',
      UPDATE_CADENCE_MINUTES: [15, 30, 60, 0],
      SANDBOX_DATABASE_URL: './data/sandbox.db',
      sandbox: false,
      production: false,
    });
    expect(c.HOST).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('is in sandbox mode only with no Slack credential variable at all', () => {
    expect(loadConfig({}).sandbox).toBe(true);
    expect(loadConfig({ SLACK_API_URL: 'http://127.0.0.1:9/api/' }).sandbox).toBe(true);
    expect(loadConfig(base).sandbox).toBe(false);
  });

  it.each([
    ['SLACK_BOT_TOKEN', { SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' }],
    ['SLACK_BOT_TOKEN', { SLACK_BOT_TOKEN: '   ' }],
    ['SLACK_SIGNING_SECRET', { SLACK_SIGNING_SECRET: '' }],
    ['SLACK_APP_TOKEN', { ...base, SLACK_APP_TOKEN: ' ' }],
    ['SLACK_SIGNING_SECRET', { ...base, SLACK_SIGNING_SECRET: '\t' }],
  ])('refuses an empty Slack variable, %s, rather than running the sandbox', (name, env) => {
    expect(err(env)).toBe(`${name} is set but empty: give it a value, or remove it to use the default`);
  });

  it('refuses every empty Muster variable instead of falling back to its default', () => {
    // PORT='' used to mean port 0 (any port), CATALOG_PATH='' the working folder
    const names = [
      'PORT',
      'DATABASE_URL',
      'SANDBOX_DATABASE_URL',
      'SANDBOX_STATE_FILE',
      'HOST',
      'CATALOG_PATH',
      'POSTMORTEM_TEMPLATE',
      'INCIDENT_ANNOUNCE_CHANNEL',
      'PAGERDUTY_API_TOKEN',
      'PAGERDUTY_FROM',
      'PAGERDUTY_WEBHOOK_SECRET',
      'LOG_LEVEL',
      'PRIVATE_ANNOUNCE',
      'TIMELINE_EMOJI',
      'COMMANDS_PER_MINUTE',
      'SLACK_API_URL',
    ];
    for (const name of names) {
      expect(err({ ...base, [name]: '' })).toBe(
        `${name} is set but empty: give it a value, or remove it to use the default`,
      );
    }
    // a variable Muster does not read may be empty
    expect(loadConfig({ ...base, SOMETHING_ELSE: '' }).sandbox).toBe(false);
  });

  it.each([
    ['SLACK_BOT_TOKN', 'SLACK_BOT_TOKEN'],
    ['SLACK_SIGNING_SECRT', 'SLACK_SIGNING_SECRET'],
    ['SLACK_SIGNNG_SECRET', 'SLACK_SIGNING_SECRET'],
    ['SLACK_APP_TOKN', 'SLACK_APP_TOKEN'],
    ['SLACK_TOKEN', 'SLACK_BOT_TOKEN'],
    ['SLACK_API_UR', 'SLACK_API_URL'],
  ])('refuses a misspelt Slack variable, %s, and names the one meant', (typo, meant) => {
    expect(err({ [typo]: 'xoxb-1-2-abc' })).toBe(`${typo} is not a Muster variable: did you mean ${meant}?`);
    expect(err({ ...base, [typo]: 'xoxb-1-2-abc' })).toBe(
      `${typo} is not a Muster variable: did you mean ${meant}?`,
    );
  });

  it('refuses an unknown Slack variable nothing is close to when it would select the sandbox, listing the Slack variables', () => {
    expect(err({ SLACK_WEBHOOK_FOR_ALERTS: 'https://hooks.slack.com/x' })).toBe(
      'SLACK_WEBHOOK_FOR_ALERTS is not a Muster variable: the Slack variables are SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN, SLACK_API_URL, SLACK_CLIENT_ID, SLACK_CLIENT_SECRET',
    );
  });

  it("leaves another tool's Slack variable alone when the Slack credentials are set", () => {
    const c = loadConfig({ ...base, SLACK_WEBHOOK_FOR_ALERTS: 'https://hooks.slack.com/x' });
    expect(c.sandbox).toBe(false);
    // a misspelling beside the credentials is still refused: SLACK_APP_TOKN would quietly mean HTTP mode
    expect(err({ ...base, SLACK_WEBHOOK_FOR_ALERTS: 'x', SLACK_APP_TOKN: 'xapp-1' })).toBe(
      'SLACK_APP_TOKN is not a Muster variable: did you mean SLACK_APP_TOKEN?',
    );
  });

  it('takes a PostgreSQL URL for DATABASE_URL, and a pool size for it', () => {
    const url = 'postgresql://muster:secret@db.internal:5432/muster?sslmode=require';
    expect(loadConfig({ ...base, DATABASE_URL: url, DATABASE_POOL_SIZE: '25' })).toMatchObject({
      DATABASE_URL: url,
      DATABASE_POOL_SIZE: 25,
    });
    expect(loadConfig(base).DATABASE_POOL_SIZE).toBe(10);
  });

  it('reads HOST, SANDBOX_DATABASE_URL, SANDBOX_STATE_FILE and NODE_ENV', () => {
    const c = loadConfig({
      ...base,
      HOST: ' 10.0.0.5 ',
      SANDBOX_DATABASE_URL: '/tmp/s.db',
      NODE_ENV: 'production',
    });
    expect(c).toMatchObject({ HOST: '10.0.0.5', SANDBOX_DATABASE_URL: '/tmp/s.db', production: true });
    // unset, the sandbox package puts it beside SANDBOX_DATABASE_URL
    expect(c.SANDBOX_STATE_FILE).toBeUndefined();
    expect(loadConfig({ SANDBOX_STATE_FILE: ' /tmp/ws.db ' }).SANDBOX_STATE_FILE).toBe('/tmp/ws.db');
    expect(loadConfig({ NODE_ENV: 'development' }).production).toBe(false);
  });

  it('listens on every interface for Slack and on this machine only for the sandbox, unless HOST says otherwise', () => {
    expect(listenHost(loadConfig(base))).toBe('0.0.0.0');
    expect(listenHost(loadConfig({}))).toBe('127.0.0.1');
    expect(listenHost(loadConfig({ ...base, HOST: '::' }))).toBe('::');
    expect(listenHost(loadConfig({ HOST: '0.0.0.0' }))).toBe('0.0.0.0');
    expect(httpAddress('::', 3000)).toBe('http://[::]:3000');
    expect(httpAddress('127.0.0.1', 3000)).toBe('http://127.0.0.1:3000');
    expect(['127.0.0.1', '127.3.2.1', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.5', 'muster.internal'].some(isLoopback)).toBe(false);
  });

  it('parses lists and zones', () => {
    const c = loadConfig({
      ...base,
      TIMELINE_EMOJI: ' pushpin, :memo: ,eyes',
      INCIDENT_TIMEZONE: 'Europe/Berlin',
    });
    expect(c.TIMELINE_EMOJI).toEqual(['pushpin', 'memo', 'eyes']);
    expect(c.INCIDENT_TIMEZONE).toBe('Europe/Berlin');
  });

  it('keeps processed events and cached messages RETENTION_DAYS whole days, 30 by default', () => {
    expect(loadConfig(base).RETENTION_DAYS).toBe(30);
    expect(loadConfig({ ...base, RETENTION_DAYS: ' 7 ' }).RETENTION_DAYS).toBe(7);
    expect(err({ ...base, RETENTION_DAYS: '' })).toBe(
      'RETENTION_DAYS is set but empty: give it a value, or remove it to use the default',
    );
    for (const bad of ['0', '-3', '1.5', 'thirty', '1e999']) {
      expect(err({ ...base, RETENTION_DAYS: bad })).toBe(
        `RETENTION_DAYS is "${bad}": expected a whole number of days, 1 or more`,
      );
    }
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT is "abc": expected a port number'],
    [{ PORT: '70000' }, 'PORT is "70000": expected a port number from 0 to 65535'],
    [
      { INCIDENT_TIMEZONE: 'Mars/Olympus' },
      'INCIDENT_TIMEZONE is "Mars/Olympus": expected an IANA time zone such as Europe/Berlin',
    ],
    [
      { SLACK_API_URL: 'slack.com' },
      'SLACK_API_URL is "slack.com": expected an http(s) URL for the Slack Web API',
    ],
    [
      { INCIDENT_ANNOUNCE_CHANNEL: '#incidents' },
      'INCIDENT_ANNOUNCE_CHANNEL is "#incidents": expected a channel ID such as C0123456789',
    ],
    [
      { LOG_LEVEL: 'loud' },
      'LOG_LEVEL is "loud": expected one of fatal, error, warn, info, debug, trace, silent',
    ],
    [
      { PRIVATE_ANNOUNCE: 'hidden' },
      'PRIVATE_ANNOUNCE is "hidden": expected redacted (a notice without the title) or none',
    ],
    [{ PRIVATE_ANNOUNCE: '' }, 'PRIVATE_ANNOUNCE is set but empty'],
    [{ PRIVATE_ANNOUNCE: ' ' }, 'PRIVATE_ANNOUNCE is set but empty'],
    [{ INCIDENT_CHANNEL_PREFIX: 'INC!' }, 'INCIDENT_CHANNEL_PREFIX is "INC!": expected lowercase letters'],
    [
      { UPDATE_CADENCE_MINUTES: '15,30' },
      'UPDATE_CADENCE_MINUTES is "15,30": expected four numbers of minutes',
    ],
    [
      { DATABASE_URL: 'postgres:///muster' },
      'DATABASE_URL is "postgres:///muster": expected a SQLite file path, or a postgres:// URL with a host',
    ],
    [
      { DATABASE_URL: 'mysql://db/muster' },
      'DATABASE_URL is "mysql://db/muster": expected a SQLite file path, or a postgres:// URL',
    ],
    [{ DATABASE_URL: '' }, 'DATABASE_URL is set but empty'],
    [
      { DATABASE_POOL_SIZE: '0' },
      'DATABASE_POOL_SIZE is "0": expected a number of connections from 1 to 100',
    ],
    [{ DATABASE_POOL_SIZE: 'many' }, 'DATABASE_POOL_SIZE is "many": expected a number of connections'],
    [{ DATABASE_POOL_SIZE: '' }, 'DATABASE_POOL_SIZE is set but empty'],
    [
      { SLACK_BOT_TOKEN: 'abc-token' },
      'SLACK_BOT_TOKEN is set (its value is not shown): expected a bot token starting with xoxb-',
    ],
    [
      { SLACK_SIGNING_SECRET: undefined },
      'SLACK_SIGNING_SECRET is not set: expected both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET',
    ],
    [
      { SLACK_APP_TOKEN: 'xoxb-wrong' },
      'SLACK_APP_TOKEN is set (its value is not shown): expected an app-level token starting with xapp-',
    ],
    [
      { COMMANDS_PER_MINUTE_WORKSPACE: '0' },
      'COMMANDS_PER_MINUTE_WORKSPACE is "0": expected a whole number, 1 or more',
    ],
    [{ COMMANDS_PER_MINUTE_WORKSPACE: '' }, 'COMMANDS_PER_MINUTE_WORKSPACE is set but empty'],
    [{ COMMANDS_PER_MINUTE_WORKSPACE: 'lots' }, 'COMMANDS_PER_MINUTE_WORKSPACE is "lots": expected a number'],
    [{ METRICS_PORT: '' }, 'METRICS_PORT is set but empty'],
    [{ METRICS_PORT: 'no' }, 'METRICS_PORT is "no": expected a port number from 0 to 65535, or off'],
    [{ METRICS_PORT: '65536' }, 'METRICS_PORT is "65536": expected a port number from 0 to 65535, or off'],
    [{ METRICS_HOST: '' }, 'METRICS_HOST is set but empty'],
    [
      { METRICS_HOST: 'http://0.0.0.0' },
      'METRICS_HOST is "http://0.0.0.0": expected an address to listen on',
    ],
    [
      { HOST: 'http://0.0.0.0' },
      'HOST is "http://0.0.0.0": expected an address to listen on, such as 127.0.0.1, 0.0.0.0 or ::',
    ],
    [
      { SANDBOX_DATABASE_URL: 'postgres://db/sandbox' },
      'SANDBOX_DATABASE_URL is "postgres://db/sandbox": expected a SQLite file path',
    ],
    [
      { SANDBOX_STATE_FILE: 'postgres://db/sandbox' },
      'SANDBOX_STATE_FILE is "postgres://db/sandbox": expected a SQLite file path',
    ],
    [{ INCIDENT_POLICY: 'closed' }, 'INCIDENT_POLICY is "closed": expected one of open, responders'],
    [{ INCIDENT_POLICY: 'Responders' }, 'INCIDENT_POLICY is "Responders": expected one of open, responders'],
    [
      { INCIDENT_POLICY: '' },
      'INCIDENT_POLICY is set but empty: give it a value, or remove it to use the default',
    ],
    [{ INCIDENT_POLICY: '  ' }, 'INCIDENT_POLICY is set but empty'],
  ])('names the variable and what is expected: %j', (patch, message) => {
    expect(err({ ...base, ...patch })).toContain(message);
  });

  it('lets everyone steer an incident unless INCIDENT_POLICY keeps it for its responders', () => {
    expect(loadConfig(base).INCIDENT_POLICY).toBe('open');
    expect(loadConfig({ ...base, INCIDENT_POLICY: 'open' }).INCIDENT_POLICY).toBe('open');
    expect(loadConfig({ ...base, INCIDENT_POLICY: 'responders' }).INCIDENT_POLICY).toBe('responders');
  });

  it('reads the follow-up trackers: Jira needs its three variables together, URLs are URLs, reminders weekly or off', () => {
    const c = loadConfig(base);
    expect([c.GITHUB_API_URL, c.LINEAR_API_URL, c.FOLLOW_UP_REMINDER]).toEqual([
      'https://api.github.com',
      'https://api.linear.app/graphql',
      'weekly',
    ]);
    expect(c.GITHUB_TOKEN).toBeUndefined();
    const jira = {
      JIRA_BASE_URL: 'https://example.atlassian.net',
      JIRA_EMAIL: 'ops@example.com',
      JIRA_API_TOKEN: 't0k',
    };
    expect(loadConfig({ ...base, ...jira }).JIRA_BASE_URL).toBe('https://example.atlassian.net');
    expect(() => loadConfig({ ...base, JIRA_BASE_URL: jira.JIRA_BASE_URL })).toThrow(
      'JIRA_EMAIL and JIRA_API_TOKEN not set: Jira needs JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN together',
    );
    expect(() => loadConfig({ ...base, ...jira, JIRA_EMAIL: 'not-an-email' })).toThrow(/JIRA_EMAIL/);
    expect(() => loadConfig({ ...base, ...jira, JIRA_BASE_URL: 'example.atlassian.net' })).toThrow(
      /JIRA_BASE_URL/,
    );
    expect(() => loadConfig({ ...base, GITHUB_API_URL: 'ftp://ghe' })).toThrow(/GITHUB_API_URL/);
    expect(() => loadConfig({ ...base, GITHUB_TOKEN: '  ' })).toThrow('GITHUB_TOKEN is set but empty');
    expect(loadConfig({ ...base, FOLLOW_UP_REMINDER: 'off' }).FOLLOW_UP_REMINDER).toBe('off');
    expect(() => loadConfig({ ...base, FOLLOW_UP_REMINDER: 'daily' })).toThrow(
      /FOLLOW_UP_REMINDER.*weekly or off/,
    );
  });

  it('reads the web page: WEB_BASE_URL with the Slack client id and secret together, a base URL without its last slash', () => {
    const web = {
      WEB_BASE_URL: 'https://muster.example.com/',
      SLACK_CLIENT_ID: '123.456',
      SLACK_CLIENT_SECRET: 'client-secret',
    };
    expect(loadConfig(base).WEB_BASE_URL).toBeUndefined();
    expect(loadConfig({ ...base, ...web }).WEB_BASE_URL).toBe('https://muster.example.com');
    expect(loadConfig({ ...base, ...web, WEB_BASE_URL: 'https://example.com/ops//' }).WEB_BASE_URL).toBe(
      'https://example.com/ops',
    );
    expect(() => loadConfig({ ...base, WEB_BASE_URL: web.WEB_BASE_URL })).toThrow(
      'SLACK_CLIENT_ID and SLACK_CLIENT_SECRET not set: the web page needs WEB_BASE_URL, SLACK_CLIENT_ID and SLACK_CLIENT_SECRET together (Sign in with Slack)',
    );
    expect(() => loadConfig({ ...base, SLACK_CLIENT_SECRET: 's' })).toThrow(
      /^WEB_BASE_URL and SLACK_CLIENT_ID not set/,
    );
    expect(() => loadConfig({ ...base, ...web, WEB_BASE_URL: 'muster.example.com' })).toThrow(/WEB_BASE_URL/);
    expect(() => loadConfig({ ...base, ...web, WEB_BASE_URL: 'https://m.example.com/?a=1' })).toThrow(
      /WEB_BASE_URL.*without a query/,
    );
    expect(() => loadConfig({ ...base, ...web, SLACK_CLIENT_SECRET: '' })).toThrow(
      'SLACK_CLIENT_SECRET is set but empty',
    );
  });

  it('serves metrics on 127.0.0.1:9464 unless told otherwise, and can turn them off', () => {
    expect(loadConfig(base)).toMatchObject({ METRICS_PORT: 9464, METRICS_HOST: '127.0.0.1' });
    expect(loadConfig({ ...base, METRICS_PORT: ' 0 ', METRICS_HOST: '0.0.0.0' })).toMatchObject({
      METRICS_PORT: 0,
      METRICS_HOST: '0.0.0.0',
    });
    expect(loadConfig({ ...base, METRICS_PORT: 'off' }).METRICS_PORT).toBeNull();
    expect(loadConfig({ ...base, METRICS_HOST: '::' }).METRICS_HOST).toBe('::');
  });

  it('limits commands per user, under a workspace ceiling that is unset (10 times) unless given', () => {
    expect(loadConfig(base)).toMatchObject({ COMMANDS_PER_MINUTE: 120 });
    expect(loadConfig(base).COMMANDS_PER_MINUTE_WORKSPACE).toBeUndefined();
    expect(loadConfig({ ...base, COMMANDS_PER_MINUTE_WORKSPACE: '5000' }).COMMANDS_PER_MINUTE_WORKSPACE).toBe(
      5000,
    );
  });

  describe('never prints a secret or the credentials inside a URL', () => {
    const secretish = [
      ['SLACK_BOT_TOKEN', 'abc-hunter2-token'],
      ['SLACK_APP_TOKEN', 'xoxb-hunter2'],
    ] as const;
    it.each(secretish)('%s: names it, says it is set, shows nothing of it', (name, value) => {
      const message = err({ ...base, [name]: value });
      expect(message).toContain(`${name} is set (its value is not shown): expected`);
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain(value.slice(0, 3));
    });

    it.each([
      // each is refused (no host), and the message that says so shows no credential
      ['postgres://u:hunter2@/db', 'DATABASE_URL is "postgres://u:***@/db"'],
      [
        'postgresql://app:hunter2@:5432/muster?sslmode=require',
        'DATABASE_URL is "postgresql://app:***@:5432/muster?sslmode=require"',
      ],
      [
        'postgres://u@/db?sslpassword=hunter2&sslmode=verify-full',
        'DATABASE_URL is "postgres://u@/db?sslpassword=***&sslmode=verify-full"',
      ],
      ['postgres:///db?password=hunter2', 'DATABASE_URL is "postgres:///db?password=***"'],
      ['postgres://ghp_hunter2hunter2hunter2hunter2hunter2xx@/db', 'DATABASE_URL is "postgres://***@/db"'],
      ['postgres://u:p%40ss:hunter2@/db', 'DATABASE_URL is "postgres://u:***@/db"'],
    ])('DATABASE_URL=%s', (value, shown) => {
      const message = err({ ...base, DATABASE_URL: value });
      expect(message).toContain(shown);
      expect(message).not.toContain('hunter2');
    });

    it.each([
      [
        'SLACK_API_URL',
        'ftp://bot:hunter2@slack.internal/api/',
        'SLACK_API_URL is "ftp://bot:***@slack.internal/api/"',
      ],
      [
        'PAGERDUTY_API_URL',
        'api.pagerduty.com?token=hunter2',
        'PAGERDUTY_API_URL is "api.pagerduty.com?token=***"',
      ],
    ])('%s with credentials in a refused URL', (name, value, shown) => {
      const message = err({ ...base, [name]: value });
      expect(message).toContain(shown);
      expect(message).not.toContain('hunter2');
    });

    it('masks the password of a key=value connection string, quoted or not', () => {
      expect(describeValue('DATABASE_URL', "host=h user=u password='hunter2 x' dbname=muster")).toBe(
        'is "host=h user=u password=*** dbname=muster"',
      );
      expect(describeValue('PGCONN', 'host=h sslpassword = hunter2;key=hunter2')).toBe(
        'is "host=h sslpassword = ***;key=***"',
      );
    });

    it('masks before it shortens a long value, and keeps it on one line', () => {
      const value = `postgres://${'u'.repeat(70)}:hunter2@/db?token=hunter2`;
      const message = err({ ...base, DATABASE_URL: value });
      expect(message).toBe(
        `DATABASE_URL is "postgres://${'u'.repeat(49)}…": expected a SQLite file path, or a postgres:// URL with a host (postgres://user:password@host:5432/muster)`,
      );
      const split = err({ ...base, PORT: 'abc\n# key=hunter2' });
      expect(split).toBe('PORT is "abc\\n# key=***": expected a port number');
      expect(split).not.toContain('\n');
    });

    it.each([
      'SLACK_SIGNING_SECRET',
      'PAGERDUTY_API_TOKEN',
      'PAGERDUTY_WEBHOOK_SECRET',
      'LINEAR_API_KEY',
      'PAGERDUTY_ROUTING_KEY',
      'JIRA_API_TOKEN',
      'DB_PASSWORD',
      'SLACK_CLIENT_SECRET',
    ])('%s counts as a secret', (name) => {
      expect(isSecretName(name)).toBe(true);
      expect(describeValue(name, 'hunter2')).toBe('is set (its value is not shown)');
    });

    it.each(['PORT', 'DATABASE_URL', 'INCIDENT_TIMEZONE', 'SLACK_API_URL', 'METRICS_HOST'])(
      '%s does not',
      (name) => {
        expect(isSecretName(name)).toBe(false);
      },
    );
  });

  it('documents every variable in .env.example, which loads as a .env as it is (no empty variable)', () => {
    const example = readFileSync('.env.example', 'utf8');
    for (const name of MUSTER_VARIABLES) expect(example).toMatch(new RegExp(`^(# )?${name}=`, 'm'));
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), example);
    const c = loadConfig(readEnv({}, dir));
    expect(c.sandbox).toBe(true);
    expect(c.SANDBOX_DATABASE_URL).toBe('./data/sandbox.db');
  });

  it('reads .env without overriding the environment', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), 'PORT=4100\nINCIDENT_CHANNEL_PREFIX=sev\n');
    const env = readEnv({ ...base, PORT: '4200' }, dir);
    const c = loadConfig(env);
    expect(c.PORT).toBe(4200);
    expect(c.INCIDENT_CHANNEL_PREFIX).toBe('sev');
  });

  it('is the only module that reads process.env (the sandbox package included)', () => {
    const sources = ['src', 'packages/sandbox/src', 'packages/sandbox/ui'].flatMap((dir) =>
      (readdirSync(dir, { recursive: true }) as string[])
        .filter((f) => /\.(ts|js|mjs)$/.test(f))
        .map((f) => join(dir, f)),
    );
    const readers = sources.filter((f) => {
      const code = readFileSync(f, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/\/\/.*$/gm, '');
      return /process\.env\b/.test(code);
    });
    expect(readers).toEqual([join('src', 'config.ts')]);
  });

  it('stops start-up with one line and exit code 1, no stack trace', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'data'));
    const r = spawnSync(...musterCommand('start'), {
      cwd: dir,
      env: { PATH: process.env.PATH, ...base, PORT: 'abc' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('muster: PORT is "abc": expected a port number');
    expect(r.stderr).not.toMatch(/\bat \w/);
  });
});
