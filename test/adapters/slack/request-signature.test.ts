/** Slack's v0 request signature, against the worked example of Slack's docs ("Verifying requests from Slack"). */
import { describe, expect, it } from 'vitest';
import { isSignedBySlack } from '../../../src/adapters/slack/request-signature.js';
import { slackSignature } from '../../support/sign.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = '1531420618';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const THEN = Number(TIMESTAMP) * 1000;

const check = (over: Partial<Parameters<typeof isSignedBySlack>[0]> = {}) =>
  isSignedBySlack({
    signingSecret: SECRET,
    body: Buffer.from(BODY),
    signature: SIGNATURE,
    timestamp: TIMESTAMP,
    nowMs: THEN + 1000,
    ...over,
  });

describe("Slack's request signature", () => {
  it("accepts the docs' worked example, in upper case too", () => {
    expect(check()).toBe(true);
    expect(check({ signature: SIGNATURE.toUpperCase().replace('V0=', 'v0=') })).toBe(true);
  });

  it('refuses a timestamp more than five minutes either side of now', () => {
    expect(check({ nowMs: THEN + 300_000 })).toBe(true);
    expect(check({ nowMs: THEN + 301_000 })).toBe(false);
    expect(check({ nowMs: THEN - 301_000 })).toBe(false);
  });

  it('refuses another body, secret or timestamp, and malformed or missing headers', () => {
    expect(check({ body: Buffer.from(`${BODY}&x=1`) })).toBe(false);
    expect(check({ signingSecret: 'another-secret' })).toBe(false);
    expect(check({ timestamp: String(Number(TIMESTAMP) + 1) })).toBe(false);
    for (const signature of [
      undefined,
      '',
      'v0=',
      'v1=a2114d57',
      `${SIGNATURE}00`,
      SIGNATURE.replace('v0=', ''),
      ['x'],
    ]) {
      expect(check({ signature })).toBe(false);
    }
    for (const timestamp of [undefined, '', 'abc', '1531420618.5', '-1531420618'])
      expect(check({ timestamp })).toBe(false);
  });

  it('agrees with the signer the tests use', () => {
    const body = 'command=%2Fincident&text=help';
    expect(
      isSignedBySlack({
        signingSecret: 's3cret',
        body: Buffer.from(body),
        signature: slackSignature('s3cret', 1_700_000_000, body),
        timestamp: '1700000000',
        nowMs: 1_700_000_000_000,
      }),
    ).toBe(true);
  });
});
