import { describe, expect, it } from 'vitest';
import {
  incidentChannelName,
  MAX_CHANNEL_NAME,
  privateChannelName,
  slugify,
} from '../../src/domain/channel-name.js';

describe('incident channel names', () => {
  it.each([
    ['checkout returns 500s', 'inc-1-checkout-returns-500s'],
    ['Checkout   RETURNS 500s!!!', 'inc-1-checkout-returns-500s'],
    ['Café au lait: zürich DB down', 'inc-1-cafe-au-lait-zurich-db-down'],
    ['🔥🔥 payments 🔥 on fire', 'inc-1-payments-on-fire'],
    ['!!! ??? ...', 'inc-1'],
    ['🔥🔥🔥', 'inc-1'],
    ['数据库 down', 'inc-1-down'],
    ['api_gateway/v2 → 502', 'inc-1-api-gateway-v2-502'],
    ['--leading and trailing--', 'inc-1-leading-and-trailing'],
  ])('%s -> %s', (title, name) => {
    expect(incidentChannelName('inc', 1, title)).toBe(name);
  });

  it('keeps a 300-character title within 80 characters, cut at a word boundary', () => {
    const title = 'database connection pool exhausted '.repeat(9);
    const name = incidentChannelName('inc', 12345, title);
    expect(name.length).toBeLessThanOrEqual(MAX_CHANNEL_NAME);
    expect(name).toMatch(/^inc-12345-database-connection-pool/);
    expect(name).not.toMatch(/-$/);
    expect(name).toMatch(/^[a-z0-9-]+$/);
  });

  it('cuts a single very long word hard', () => {
    const name = incidentChannelName('inc', 7, 'x'.repeat(300));
    expect(name.length).toBe(MAX_CHANNEL_NAME);
  });

  it('keeps the suffix whole after name_taken', () => {
    expect(incidentChannelName('inc', 3, 'db down', '2')).toBe('inc-3-db-down-2');
    const long = incidentChannelName('inc', 3, 'y'.repeat(200), '2');
    expect(long.length).toBeLessThanOrEqual(MAX_CHANNEL_NAME);
    expect(long.endsWith('-2')).toBe(true);
  });

  it('uses the configured prefix', () => {
    expect(incidentChannelName('sev-room', 9, 'x')).toBe('sev-room-9-x');
  });

  it('slugify gives only lowercase ASCII letters, digits and hyphens', () => {
    expect(slugify('Ünïcödé & <b>HTML</b> `code`')).toBe('unicode-b-html-b-code');
  });

  it('names a private incident channel after its number only, suffixed when the name is taken', () => {
    expect(privateChannelName('inc', 42)).toBe('inc-42-private');
    expect(privateChannelName('sev', 7, '2')).toBe('sev-7-private-2');
  });
});
