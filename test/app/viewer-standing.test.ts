/** Whether a web page viewer's Slack account is still active: asked at most every 5 minutes, kept through outages. */
import { describe, expect, it } from 'vitest';
import { STANDING_TTL_MS, ViewerStanding } from '../../src/app/web/viewer-standing.js';
import { unitPorts } from '../support/unit-ports.js';

function world() {
  const ports = unitPorts();
  ports.chat.addUser({ id: 'U0BOB', displayName: 'Bob' });
  return { ports, standing: new ViewerStanding(ports), asked: () => ports.chat.callsOf('userInfo').length };
}

describe('ViewerStanding', () => {
  it('lets an active person in, asking Slack once per 5 minutes, and keeps their profile', async () => {
    const { ports, standing, asked } = world();
    expect(await standing.active('U0BOB')).toBe(true);
    expect(await standing.active('U0BOB')).toBe(true);
    expect(asked()).toBe(1);
    expect((await ports.store.users.get('U0BOB'))?.displayName).toBe('Bob');
    ports.clock.advance(STANDING_TTL_MS - 1);
    await standing.active('U0BOB');
    expect(asked()).toBe(1);
    ports.clock.advance(1);
    await standing.active('U0BOB');
    expect(asked()).toBe(2);
  });

  it('asks once for many pages at the same moment', async () => {
    const { standing, asked } = world();
    expect(await Promise.all([1, 2, 3].map(() => standing.active('U0BOB')))).toEqual([true, true, true]);
    expect(asked()).toBe(1);
  });

  it('refuses a person deactivated since, once the last answer is 5 minutes old', async () => {
    const { ports, standing } = world();
    expect(await standing.active('U0BOB')).toBe(true);
    ports.chat.users.get('U0BOB')!.deleted = true;
    expect(await standing.active('U0BOB')).toBe(true);
    ports.clock.advance(STANDING_TTL_MS);
    expect(await standing.active('U0BOB')).toBe(false);
    // reactivated: let in again at the next question
    ports.chat.users.get('U0BOB')!.deleted = false;
    ports.clock.advance(STANDING_TTL_MS);
    expect(await standing.active('U0BOB')).toBe(true);
  });

  it('refuses a person Slack does not know in the workspace', async () => {
    const { standing } = world();
    expect(await standing.active('U0GONE')).toBe(false);
  });

  it('keeps the sign-in, or the last answer, while Slack cannot be asked, and asks again at the next page', async () => {
    const { ports, standing, asked } = world();
    ports.chat.failNext('userInfo', 'ratelimited');
    expect(await standing.active('U0BOB')).toBe(true);
    expect(await standing.active('U0BOB')).toBe(true);
    expect(asked()).toBe(2);
    // a deactivation Slack already told stands through an outage too
    ports.chat.users.get('U0BOB')!.deleted = true;
    ports.clock.advance(STANDING_TTL_MS);
    expect(await standing.active('U0BOB')).toBe(false);
    ports.clock.advance(STANDING_TTL_MS);
    ports.chat.failNext('userInfo', 'fatal_error');
    expect(await standing.active('U0BOB')).toBe(false);
  });
});
