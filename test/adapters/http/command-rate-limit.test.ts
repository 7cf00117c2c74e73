/** The command limiter on its own: which commands are urgent, refill, bounded memory, the refusal texts. */
import { describe, expect, it } from 'vitest';
import {
  CommandRateLimit,
  isUrgentCommand,
  refusalText,
} from '../../../src/adapters/http/command-rate-limit.js';
import { FixedClock } from '../../support/fixed-clock.js';

describe('command rate limit', () => {
  it.each([
    ['declare sev1 checkout down', true],
    ['declare', true],
    ['DECLARE sev9 wrong severity', true],
    ['resolve', true],
    ['resolve rolled back', true],
    ['status resolved', true],
    ['page checkout the card payments fail', true],
    ['page', true],
    ['status monitoring', false],
    ['status', false],
    ['note resolve this later', false],
    ['update paging the database team', false],
    ['', false],
    ['frobnicate', false],
    [`note ${'x'.repeat(40_000)}`, false],
  ])('%j is urgent: %s', (text, urgent) => {
    expect(isUrgentCommand(text)).toBe(urgent);
  });

  it('gives each person their own bucket, refilled evenly', () => {
    const clock = new FixedClock(0);
    const limit = new CommandRateLimit({ perUser: 60 }, clock);
    const take = (user: string) => limit.take('T1', user, 'note x');
    for (let i = 0; i < 30; i++) expect(take('U1').allowed).toBe(true);
    expect(take('U1')).toEqual({
      allowed: false,
      urgent: false,
      scope: 'user',
      perMinute: 60,
      retryAfterSeconds: 1,
    });
    expect(take('U2').allowed).toBe(true);
    // the same user id in another workspace is another person
    expect(limit.take('T2', 'U1', 'note x').allowed).toBe(true);
    clock.advance(999);
    expect(take('U1').allowed).toBe(false);
    clock.advance(1);
    expect(take('U1').allowed).toBe(true);
    expect(take('U1').allowed).toBe(false);
  });

  it('puts the workspace ceiling at 10 times the per-person limit unless given', () => {
    const clock = new FixedClock(0);
    const limit = new CommandRateLimit({ perUser: 20 }, clock);
    // 20 people × 10 = 200 = a burst of 100 for the workspace (half a minute of 200)
    let allowed = 0;
    for (let u = 0; u < 20; u++)
      for (let i = 0; i < 10; i++) if (limit.take('T1', `U${u}`, 'list').allowed) allowed++;
    expect(allowed).toBe(100);
    const over = limit.take('T1', 'U99', 'list');
    expect(over).toMatchObject({ allowed: false, scope: 'workspace', perMinute: 200, retryAfterSeconds: 1 });
    expect(limit.take('T1', 'U99', 'declare sev1 x')).toEqual({ allowed: true, urgent: true });
  });

  it('drops the buckets of people who have been idle long enough to be full again', () => {
    const clock = new FixedClock(0);
    const limit = new CommandRateLimit({ perUser: 120, perWorkspace: 1_000_000 }, clock);
    for (let u = 0; u < 5000; u++) limit.take('T1', `U${u}`, 'note x');
    expect(limit.tracked.users).toBe(5000);
    // 60 tokens at 2 a second: full again after 30 s
    clock.advance(29_999);
    limit.take('T1', 'U0', 'note x');
    expect(limit.tracked.users).toBe(5000);
    clock.advance(1);
    limit.take('T1', 'Unew', 'note x');
    // U0 was seen 1 ms ago; Unew just now; everyone else is full again and forgotten
    expect(limit.tracked).toEqual({ users: 2, urgent: 0, workspaces: 1 });
  });

  it('tracks at most maxTracked people, however many send at once', () => {
    const clock = new FixedClock(0);
    const limit = new CommandRateLimit({ perUser: 120, maxTracked: 1000 }, clock);
    for (let u = 0; u < 100_000; u++) limit.take('T1', `U${u}`, 'declare sev3 x');
    expect(limit.tracked.users).toBe(1000);
    expect(limit.tracked.workspaces).toBe(0);
  });

  it('words each refusal for the person who gets it', () => {
    expect(
      refusalText({ allowed: false, urgent: false, scope: 'user', perMinute: 5, retryAfterSeconds: 12 }),
    ).toBe(
      ':hourglass: Your command was not run: you are sending commands faster than Muster accepts from one person ' +
        '(5 a minute). Try again in 12 seconds. `declare`, `resolve` and `page` still go through.',
    );
    expect(
      refusalText({
        allowed: false,
        urgent: false,
        scope: 'workspace',
        perMinute: 1200,
        retryAfterSeconds: 1,
      }),
    ).toBe(
      ':hourglass: Your command was not run: this workspace is sending Muster more than 1200 commands a minute all ' +
        'together right now. Try again in 1 second. `declare`, `resolve` and `page` still go through.',
    );
    expect(
      refusalText({ allowed: false, urgent: true, scope: 'user', perMinute: 10, retryAfterSeconds: 6 }),
    ).toContain(
      'the 10 `declare`, `resolve` and `page` commands a minute kept for you beyond it. Try again in 6 seconds.',
    );
  });
});
