import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readEnv } from '../src/config.js';
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
      TIMELINE_EMOJI: ['pushpin'],
      INCIDENT_TIMEZONE: 'UTC',
      CATALOG_PATH: './catalog.yaml',
      POSTMORTEM_TEMPLATE: 'templates/postmortem.md.hbs',
      PAGERDUTY_API_URL: 'https://api.pagerduty.com',
      PAGERDUTY_EVENTS_URL: 'https://events.pagerduty.com',
      LOG_LEVEL: 'info',
      UPDATE_CADENCE_MINUTES: [15, 30, 60, 0],
      sandbox: false,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('is in sandbox mode with no Slack credentials', () => {
    expect(loadConfig({}).sandbox).toBe(true);
    expect(loadConfig({ SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '' }).sandbox).toBe(true);
  });

  it('parses lists and zones', () => {
    const c = loadConfig({ ...base, TIMELINE_EMOJI: ' pushpin, :memo: ,eyes', INCIDENT_TIMEZONE: 'Europe/Berlin' });
    expect(c.TIMELINE_EMOJI).toEqual(['pushpin', 'memo', 'eyes']);
    expect(c.INCIDENT_TIMEZONE).toBe('Europe/Berlin');
  });

  it('keeps processed events and cached messages RETENTION_DAYS whole days, 30 by default', () => {
    expect(loadConfig(base).RETENTION_DAYS).toBe(30);
    expect(loadConfig({ ...base, RETENTION_DAYS: ' 7 ' }).RETENTION_DAYS).toBe(7);
    for (const bad of ['', '0', '-3', '1.5', 'thirty', '1e999']) {
      expect(err({ ...base, RETENTION_DAYS: bad })).toBe(
        `RETENTION_DAYS is "${bad}": expected a whole number of days, 1 or more`,
      );
    }
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT is "abc": expected a port number'],
    [{ PORT: '70000' }, 'PORT is "70000": expected a port number from 0 to 65535'],
    [{ INCIDENT_TIMEZONE: 'Mars/Olympus' }, 'INCIDENT_TIMEZONE is "Mars/Olympus": expected an IANA time zone such as Europe/Berlin'],
    [{ SLACK_API_URL: 'slack.com' }, 'SLACK_API_URL is "slack.com": expected an http(s) URL for the Slack Web API'],
    [{ INCIDENT_ANNOUNCE_CHANNEL: '#incidents' }, 'INCIDENT_ANNOUNCE_CHANNEL is "#incidents": expected a channel ID such as C0123456789'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL is "loud": expected one of fatal, error, warn, info, debug, trace, silent'],
    [{ INCIDENT_CHANNEL_PREFIX: 'INC!' }, 'INCIDENT_CHANNEL_PREFIX is "INC!": expected lowercase letters'],
    [{ UPDATE_CADENCE_MINUTES: '15,30' }, 'UPDATE_CADENCE_MINUTES is "15,30": expected four numbers of minutes'],
    [{ DATABASE_URL: 'postgres://db/muster' }, 'DATABASE_URL is "postgres://db/muster": expected a SQLite file path'],
    [{ SLACK_BOT_TOKEN: 'abc-token' }, 'SLACK_BOT_TOKEN is "abc-t…": expected a bot token starting with xoxb-'],
    [{ SLACK_SIGNING_SECRET: undefined }, 'SLACK_SIGNING_SECRET is not set: expected both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET'],
    [{ SLACK_APP_TOKEN: 'xoxb-wrong' }, 'SLACK_APP_TOKEN is "xoxb-…": expected an app-level token starting with xapp-'],
  ])('names the variable and what is expected: %j', (patch, message) => {
    expect(err({ ...base, ...patch })).toContain(message);
  });

  it('reads .env without overriding the environment', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.env'), 'PORT=4100\nINCIDENT_CHANNEL_PREFIX=sev\n');
    const env = readEnv({ ...base, PORT: '4200' }, dir);
    const c = loadConfig(env);
    expect(c.PORT).toBe(4200);
    expect(c.INCIDENT_CHANNEL_PREFIX).toBe('sev');
  });

  it('is the only module that reads process.env', () => {
    const sources = (readdirSync('src', { recursive: true }) as string[]).filter((f) => /\.(ts|js|mjs)$/.test(f));
    const readers = sources.filter((f) => {
      const code = readFileSync(join('src', f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      return /process\.env\b/.test(code);
    });
    expect(readers).toEqual(['config.ts']);
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
