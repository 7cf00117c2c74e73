/**
 * PagerDuty webhooks v3 signatures (`X-PagerDuty-Signature`): a comma-separated list of `v1=<hex>` entries,
 * each the hex HMAC-SHA256 of the raw body under one subscription secret. Several entries exist so a secret
 * can be rotated without downtime, hence "any entry matches any secret". There is no timestamp in the
 * signed string; replays are caught by the event id, not here.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** True when at least one `v1=` entry of the header is the HMAC of the raw body under one of the secrets; false for anything missing or malformed. */
export function verifyPagerDutySignature(
  rawBody: Buffer | string,
  header: string | undefined,
  secrets: string[],
): boolean {
  if (!header) return false;
  const usable = secrets.filter((s) => s.length > 0);
  if (usable.length === 0) return false;
  const provided = header
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith('v1='))
    .map((entry) => entry.slice(3))
    .filter((hex) => SHA256_HEX.test(hex))
    .map((hex) => Buffer.from(hex, 'hex'));
  if (provided.length === 0) return false;
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  let matched = false;
  for (const secret of usable) {
    const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest();
    // Compare every entry without an early exit so the time taken does not say which one matched.
    for (const candidate of provided) {
      if (timingSafeEqual(candidate, expected)) matched = true;
    }
  }
  return matched;
}

/** The `X-PagerDuty-Signature` value PagerDuty would send for this body, one `v1=` entry per secret (used by the fake PagerDuty). */
export function signPagerDutyWebhook(rawBody: Buffer | string, secrets: string[]): string {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  return secrets.map((secret) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`).join(',');
}
