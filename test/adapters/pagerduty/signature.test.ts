import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { signPagerDutyWebhook, verifyPagerDutySignature } from '../../../src/adapters/pagerduty/signature.js';

const SAMPLES = fileURLToPath(new URL('../../fixtures/pagerduty', import.meta.url));

interface Vector {
  name: string;
  secret: string;
  body_file: string;
  header: string;
  expect: 'valid' | 'invalid';
}

const { vectors } = JSON.parse(
  readFileSync(`${SAMPLES}/pagerduty_webhook_v3_signature_test_vectors.json`, 'utf8'),
) as { vectors: Vector[] };

describe('verifyPagerDutySignature: published vectors', () => {
  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const body = readFileSync(`${SAMPLES}/${v.body_file}`);

    expect(verifyPagerDutySignature(body, v.header, [v.secret])).toBe(v.expect === 'valid');
    expect(verifyPagerDutySignature(body.toString('utf8'), v.header, [v.secret])).toBe(v.expect === 'valid');
  });
});

describe('verifyPagerDutySignature: the rules of the header', () => {
  const valid = vectors.find((v) => v.expect === 'valid')!;
  const body = readFileSync(`${SAMPLES}/${valid.body_file}`);

  it('accepts when any configured secret matches (rotation on our side)', () => {
    expect(verifyPagerDutySignature(body, valid.header, ['an-old-secret', valid.secret])).toBe(true);
  });

  it('tolerates spaces after the commas', () => {
    expect(verifyPagerDutySignature(body, `v1=${'0'.repeat(64)}, ${valid.header}`, [valid.secret])).toBe(
      true,
    );
  });

  it('refuses a missing or empty header, no secrets, other versions and garbage', () => {
    const hex = valid.header.slice(3);
    expect(verifyPagerDutySignature(body, undefined, [valid.secret])).toBe(false);
    expect(verifyPagerDutySignature(body, '', [valid.secret])).toBe(false);
    expect(verifyPagerDutySignature(body, valid.header, [])).toBe(false);
    expect(verifyPagerDutySignature(body, valid.header, [''])).toBe(false);
    expect(verifyPagerDutySignature(body, `v0=${hex}`, [valid.secret])).toBe(false);
    expect(verifyPagerDutySignature(body, hex, [valid.secret])).toBe(false);
    expect(verifyPagerDutySignature(body, `v1=${hex.slice(2)}`, [valid.secret])).toBe(false);
    expect(verifyPagerDutySignature(body, 'v1=not-hex-at-all', [valid.secret])).toBe(false);
  });

  it('refuses a body changed by one byte', () => {
    const changed = Buffer.from(body);
    changed[changed.length - 2] = 0x20;
    expect(verifyPagerDutySignature(changed, valid.header, [valid.secret])).toBe(false);
  });

  it('signs as PagerDuty does: the fake’s signature verifies, one entry per secret, UTF-8 bodies included', () => {
    const unicode = '{"event":{"id":"1","note":"Ça brûle 🔥"}}';
    const header = signPagerDutyWebhook(unicode, ['s1', 's2']);

    expect(header.split(',')).toHaveLength(2);
    expect(verifyPagerDutySignature(Buffer.from(unicode, 'utf8'), header, ['s2'])).toBe(true);
    expect(signPagerDutyWebhook(body, [valid.secret])).toBe(valid.header);
  });
});
