/** The JSON logger: secrets are redacted by field name and scrubbed from free text, whatever carries them. */
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/adapters/log.js';
import { LogCapture } from '../support/log-capture.js';

const BOT_TOKEN = 'xoxb-1234-5678-AbCdEfGhIjKl';
const SIGNING_SECRET = 'signing-secret-9f8e7d6c';

const logged = (
  fn: (log: ReturnType<typeof createLogger>) => void,
  secrets: string[] = [BOT_TOKEN, SIGNING_SECRET],
) => {
  const out = new LogCapture();
  const log = createLogger({ level: 'trace', secrets, destination: out });
  fn(log);
  log.flush();
  return out;
};

describe('logs', () => {
  it('writes one JSON object a line with level, time, the request id and the incident', () => {
    const out = logged((log) => log.child({ requestId: 'req-1' }).info({ incident: 7 }, 'incident declared'));
    expect(out.records()).toEqual([
      expect.objectContaining({
        level: 'info',
        app: 'muster',
        requestId: 'req-1',
        incident: 7,
        msg: 'incident declared',
        time: expect.any(String),
      }),
    ]);
  });

  it('redacts tokens, secrets, signatures and authorization headers by field name', () => {
    const out = logged((log) =>
      log.info(
        {
          token: 'tok-abcdef',
          secret: 'sec-abcdef',
          signature: 'v0=abc123abc123',
          req: { headers: { authorization: 'Bearer zzz-abcdef', 'x-slack-signature': 'v0=def456def456' } },
          body: { token: 'legacy-verification-token' },
        },
        'a request',
      ),
    );
    expect(out.text).not.toMatch(
      /tok-abcdef|sec-abcdef|abc123abc123|zzz-abcdef|def456def456|legacy-verification-token/,
    );
    expect(out.records()[0]).toMatchObject({
      token: '[redacted]',
      req: { headers: { authorization: '[redacted]', 'x-slack-signature': '[redacted]' } },
    });
  });

  it('scrubs the configured secrets and any Slack token from messages and error texts', () => {
    const out = logged((log) => {
      log.error(
        { err: new Error(`Slack said no to ${BOT_TOKEN}`) },
        `verifying with ${SIGNING_SECRET} failed`,
      );
      log.warn(`an app token xapp-1-A0-123-abcdef and a user token xoxp-99-88-abc appeared`);
    });
    expect(out.text).not.toContain(BOT_TOKEN);
    expect(out.text).not.toContain(SIGNING_SECRET);
    expect(out.text).not.toMatch(/xapp-1-A0|xoxp-99/);
    expect(out.text).toContain('[redacted]');
  });
});
