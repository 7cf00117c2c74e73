/** Bolt and the WebClient log through pino, so their lines are JSON with the rest. */
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../log.js';

/**
 * A Bolt/WebClient logger over pino. `debug: false` drops debug lines: Slack's Socket Mode client logs whole
 * payloads at debug (response_url, the legacy verification token), which must not reach a log.
 */
export function boltLogger(log: Logger, opts: { debug?: boolean } = {}): BoltLogger {
  const child = log.child({ component: 'bolt' });
  let level = LogLevel.INFO;
  const text = (msg: unknown[]) =>
    msg
      .map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m)))
      .join(' ');
  return {
    debug: opts.debug === false ? () => {} : (...m: unknown[]) => child.debug(text(m)),
    info: (...m: unknown[]) => child.info(text(m)),
    warn: (...m: unknown[]) => child.warn(text(m)),
    error: (...m: unknown[]) => child.error(text(m)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
