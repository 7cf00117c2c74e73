/** `/incident oncall <service>`: who is on call for a service's PagerDuty escalation policy. */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type PagingWorld, startPagingWorld } from '../support/paging-world.js';
import { removeTempDirs } from '../support/temp-dir.js';

let w: PagingWorld | null = null;
afterEach(async () => {
  await w?.stop();
  w = null;
});
afterAll(() => removeTempDirs());

const start = async (o: Parameters<typeof startPagingWorld>[0] = {}) => {
  w = await startPagingWorld(o);
  return w;
};

describe('who is on call', () => {
  it('answers `oncall <service>` anywhere from the escalation policy, by level', async () => {
    const world = await start();
    const r = await world.h.command('oncall cart');
    expect(String(r.json?.text)).toContain('Asking PagerDuty who is on call for *checkout*');
    await world.h.idle();
    const answer = JSON.stringify(world.h.slack.responses.at(-1)!.body);
    expect(answer).toContain('On call for checkout');
    expect(answer).toContain('Level 1: Jane Doe');
    expect(answer).toContain('Level 2: Sam Lee');
    const call = world.pd.fake.requestsTo('oncalls')[0]!;
    expect(call.query.getAll('escalation_policy_ids[]')).toEqual(['PEP0001']);
  });

  it('explains a service without a policy, a typo, and a missing token', async () => {
    let world = await start();
    expect(String((await world.h.command('oncall billing')).json?.text)).toContain(
      '*billing* has no PagerDuty escalation policy in the catalog',
    );
    expect(String((await world.h.command('oncall chekout')).json?.text)).toContain(
      'Did you mean `checkout`?',
    );
    await world.stop();
    world = await start({ noRestToken: true });
    expect(String((await world.h.command('oncall checkout')).json?.text)).toContain(
      'PAGERDUTY_API_TOKEN is not set',
    );
    expect(world.pd.fake.requests).toHaveLength(0);
  });

  it('says why when PagerDuty refuses the token', async () => {
    const world = await start({ token: 'not-a-real-token' });
    await world.h.command('oncall checkout');
    await world.h.idle();
    expect(JSON.stringify(world.h.slack.responses.at(-1)!.body)).toContain(
      'it refused PAGERDUTY_API_TOKEN (HTTP 401)',
    );
  });
});
