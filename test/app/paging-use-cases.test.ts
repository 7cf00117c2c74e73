/**
 * The paging use cases against a real app and database, called directly: what each stores and the notices it
 * returns, with no worker or Slack in between.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { applyPagerWebhook } from '../../src/app/paging/page-activity.js';
import { applyDeliveryOutcome } from '../../src/app/paging/page-delivery.js';
import { requestPage } from '../../src/app/paging/page-service.js';
import { promptEscalations, releaseEscalationPrompt } from '../../src/app/paging/escalation-prompts.js';
import type { PagerReport } from '../../src/domain/page.js';
import { type PagingWorld, startPagingWorld } from '../support/paging-world.js';
import { removeTempDirs } from '../support/temp-dir.js';

let w: PagingWorld | null = null;
afterEach(async () => {
  await w?.stop();
  w = null;
});
afterAll(() => removeTempDirs());

/** An incident with a page to checkout stored and its trigger waiting in the outbox. */
async function requested() {
  w = await startPagingWorld();
  const incident = await w.declare('sev2 checkout returns 500s');
  const ports = w.h.app.deps;
  const result = await requestPage(ports, {
    incidentNumber: incident.number,
    service: 'cart',
    message: null,
    by: 'U0ALICE',
  });
  const row = (await ports.store.outbox.pending())[0]!;
  return { world: w, ports, incident, result, row };
}

describe('paging use cases', () => {
  it('requestPage stores the page and its outbox row and says a delivery is due; a second request says already', async () => {
    const { ports, incident, result, row } = await requested();
    expect(result.kind).toBe('queued');
    expect(result.notices).toEqual([{ kind: 'page_requested', page: result.page }]);
    expect(row).toMatchObject({ kind: 'pagerduty.trigger', payload: { pageId: result.page.id } });
    const again = await requestPage(ports, {
      incidentNumber: incident.number,
      service: 'checkout',
      message: null,
      by: 'U0BOB',
    });
    expect(again).toEqual({ kind: 'already', page: result.page, notices: [] });
  });

  it('applies delivery outcomes: held (told once), refused for good, and sent', async () => {
    const { ports, result, row } = await requested();
    const held = { kind: 'held', row, page: result.page, reason: 'PagerDuty keeps failing' } as const;
    expect(await applyDeliveryOutcome(ports, held)).toEqual([
      { kind: 'page_delayed', page: result.page, reason: 'PagerDuty keeps failing' },
    ]);
    expect(await applyDeliveryOutcome(ports, held)).toEqual([]);

    const sent = await applyDeliveryOutcome(ports, {
      kind: 'sent',
      row: (await ports.store.outbox.get(row.id))!,
      page: result.page,
      pagerIncident: null,
    });
    expect(sent).toEqual([
      {
        kind: 'page_delivered',
        page: expect.objectContaining({ id: result.page.id, status: 'triggered' }),
        pagerIncident: null,
        delayedMs: 0,
      },
    ]);
    expect((await ports.store.outbox.get(row.id))!.state).toBe('delivered');
  });

  it('fails a refused trigger and its page, with the refusal on the timeline', async () => {
    const { ports, incident, result, row } = await requested();
    const told = await applyDeliveryOutcome(ports, {
      kind: 'refused',
      row,
      page: result.page,
      reason: 'HTTP 400: Invalid routing key',
      code: 'invalid_request',
    });
    expect(told).toEqual([
      {
        kind: 'page_failed',
        page: result.page,
        action: 'trigger',
        reason: 'HTTP 400: Invalid routing key',
        code: 'invalid_request',
      },
    ]);
    expect((await ports.store.pages.get(result.page.id))!.status).toBe('failed');
    expect((await ports.store.timeline.list(incident.number)).at(-1)!.text).toBe(
      'PagerDuty refused to page checkout: HTTP 400: Invalid routing key',
    );
  });

  it('applies a PagerDuty acknowledgement once and says who acknowledged', async () => {
    const { ports, result } = await requested();
    const report: PagerReport = {
      kind: 'acknowledged',
      id: 'EVT-1',
      type: 'incident.acknowledged',
      at: result.page.requestedAt + 60_000,
      incident: { id: 'PD1', number: 1, key: result.page.dedupKey, assignees: ['Jane Doe'] },
      agent: null,
      note: null,
    };
    await ports.store.inbound.record('pagerduty', 'EVT-1', '{}', 0);
    const told = await applyPagerWebhook(ports, 'EVT-1', { kind: 'report', report });
    expect(told).toEqual([
      {
        kind: 'page_acknowledged',
        page: expect.objectContaining({ status: 'acknowledged', pdIncidentId: 'PD1' }),
        by: 'Jane Doe',
        entry: expect.objectContaining({ text: 'checkout page acknowledged by Jane Doe after 1 min' }),
      },
    ]);
    expect(await applyPagerWebhook(ports, 'EVT-1', { kind: 'report', report })).toEqual([]);
  });

  it('claims an escalation prompt once, and gives it back when it could not be shown', async () => {
    const { world, ports, result, row } = await requested();
    await applyDeliveryOutcome(ports, { kind: 'sent', row, page: result.page, pagerIncident: null });
    world.clock.advanceMinutes(10);
    const notices = await promptEscalations(ports);
    expect(notices).toMatchObject([{ kind: 'escalation_prompt', minutes: 10, previousPromptAt: null }]);
    expect(await promptEscalations(ports)).toEqual([]);
    // giving back the prompt the run claimed (not an older reading of the page)
    await releaseEscalationPrompt(ports, result.page, null);
    expect(await promptEscalations(ports)).toEqual([]);
    const claimed = notices[0]!;
    if (claimed.kind !== 'escalation_prompt') throw new Error(claimed.kind);
    await releaseEscalationPrompt(ports, claimed.page, null);
    expect(await promptEscalations(ports)).toHaveLength(1);
  });

  it('prompts once when two runs find the same escalation due at the same moment (two instances)', async () => {
    const { world, ports, result, row } = await requested();
    await applyDeliveryOutcome(ports, { kind: 'sent', row, page: result.page, pagerIncident: null });
    world.clock.advanceMinutes(10);
    const [first, second] = await Promise.all([promptEscalations(ports), promptEscalations(ports)]);
    expect([...first!, ...second!]).toMatchObject([{ kind: 'escalation_prompt', previousPromptAt: null }]);
    world.clock.advanceMinutes(10);
    expect(await Promise.all([promptEscalations(ports), promptEscalations(ports)])).toEqual([[], []]);
  });
});
