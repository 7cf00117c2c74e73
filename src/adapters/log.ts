/** JSON logs (pino). Tokens, secrets and signatures are redacted wherever they appear in a log object. */
import { pino, type Logger } from 'pino';

export type { Logger };

const REDACT = [
  'token',
  'secret',
  'signature',
  'authorization',
  '*.token',
  '*.secret',
  '*.signature',
  '*.authorization',
  '*.headers.authorization',
  '*.headers["x-slack-signature"]',
  '*.headers["x-pagerduty-signature"]',
  'config.SLACK_BOT_TOKEN',
  'config.SLACK_SIGNING_SECRET',
  'config.SLACK_APP_TOKEN',
  'config.PAGERDUTY_API_TOKEN',
  'config.PAGERDUTY_WEBHOOK_SECRET',
  'config.GITHUB_TOKEN',
  'config.GITHUB_WEBHOOK_SECRET',
  'config.JIRA_API_TOKEN',
  'config.JIRA_WEBHOOK_SECRET',
  'config.LINEAR_API_KEY',
  'config.LINEAR_WEBHOOK_SECRET',
  '*.headers["x-hub-signature-256"]',
  '*.headers["x-hub-signature"]',
  '*.headers["linear-signature"]',
  'routingKey',
  '*.routingKey',
  '*.routing_key',
];

/** Scrubs secret-looking strings (Slack tokens, the configured secrets) from free text before it is logged. */
export function makeScrubber(secrets: SecretList): (s: string) => string {
  const fixed = typeof secrets === 'function' ? null : clean(secrets);
  return (s: string) => {
    const list = fixed ?? clean((secrets as () => (string | undefined)[])());
    let out = s
      .replace(/xox[abposr]-[A-Za-z0-9-]+/g, 'xox?-[redacted]')
      .replace(/xapp-[A-Za-z0-9-]+/g, 'xapp-[redacted]');
    for (const secret of list) out = out.split(secret).join('[redacted]');
    return out;
  };
}

/** Secrets known at start, or a function for secrets that change (catalog routing keys after a reload). */
export type SecretList = (string | undefined)[] | (() => (string | undefined)[]);

const clean = (l: (string | undefined)[]): string[] =>
  l.filter((s): s is string => typeof s === 'string' && s.length >= 6);

export interface LogOptions {
  level: string;
  /** values that must never be written, whatever field they end up in */
  secrets?: SecretList;
  destination?: pino.DestinationStream;
}

export function createLogger(opts: LogOptions): Logger {
  const scrub = makeScrubber(opts.secrets ?? []);
  return pino(
    {
      level: opts.level,
      base: { app: 'muster' },
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        // The last line of defence: a secret inside a message or an error text is scrubbed too.
        streamWrite: (line) => scrub(line),
      },
    },
    opts.destination ?? pino.destination({ sync: false }),
  );
}

/**
 * A child logger made on first use. Every request gets one (request id, incident number), most never log, and
 * pino's child() serialises and redacts its bindings at once: on the slash-command path that was a measurable
 * share of a request's work.
 */
export function lazyChild(parent: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  return new Proxy(parent, {
    get(_target, prop) {
      child ??= parent.child(bindings);
      const value: unknown = Reflect.get(child, prop, child);
      return typeof value === 'function' ? value.bind(child) : value;
    },
  });
}
