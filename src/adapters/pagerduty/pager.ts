/**
 * The Pager port over PagerDuty: a page goes through Events API v2 when its service has a routing key and
 * through the REST API otherwise (`page.via`, chosen when it was requested). The REST API needs the id of
 * the PagerDuty incident a page opened; a page that never learnt it (a webhook lost, a crash right after the
 * call) finds it by its incident key, the page's dedup key.
 */
import type { Page } from '../../domain/page.js';
import {
  type OnCall,
  type Pager,
  type PageContext,
  PagerError,
  type PagerIncident,
  type PageTarget,
} from '../../domain/ports.js';
import type { PagerDutyClient } from './client.js';
import { resolveEvent, restIncident, triggerEvent } from './page-payload.js';

/** A delivery that cannot succeed with the current catalog. */
const undeliverable = (reason: string): PagerError => new PagerError('undeliverable', reason);

function need(page: Page, target: PageTarget | null): PageTarget {
  if (!target) throw undeliverable(`${page.service} has no PagerDuty target in the catalog any more`);
  return target;
}

function routingKey(page: Page, target: PageTarget | null): string {
  const key = need(page, target).routingKey;
  if (!key) throw undeliverable(`${page.service} has no routing key in the catalog any more`);
  return key;
}

function rest(page: Page, target: PageTarget | null): NonNullable<PageTarget['rest']> {
  const ids = need(page, target).rest;
  if (!ids) throw undeliverable(`${page.service} has no PagerDuty service id in the catalog any more`);
  return ids;
}

/** Pages through PagerDuty with the client; every failure is a PagerError (PagerDutyError from the client). */
export class PagerDutyPager implements Pager {
  constructor(private readonly client: PagerDutyClient) {}

  async trigger(page: Page, target: PageTarget | null, context: PageContext): Promise<PagerIncident | null> {
    if (page.via === 'events') {
      await this.client.sendEvent(triggerEvent(routingKey(page, target), page, context));
      return null;
    }
    const created = await this.client.createIncident(restIncident(rest(page, target), page, context));
    return { id: created.id, number: created.number, url: created.htmlUrl };
  }

  async resolve(page: Page, target: PageTarget | null): Promise<void> {
    if (page.via === 'events') {
      await this.client.sendEvent(resolveEvent(routingKey(page, target), page));
      return;
    }
    const id = await this.incidentOf(page, target);
    // Nothing open with that key: it was resolved in PagerDuty already.
    if (!id) return;
    await this.client.updateIncident(id, {
      status: 'resolved',
      resolution: `Resolved in Muster (${page.dedupKey})`,
    });
  }

  async escalate(page: Page, target: PageTarget | null, level: number): Promise<void> {
    const id = await this.incidentOf(page, target);
    if (!id) throw undeliverable(`PagerDuty has no open incident for ${page.service} to escalate`);
    await this.client.updateIncident(id, { escalationLevel: level });
  }

  async onCall(escalationPolicyId: string): Promise<OnCall[]> {
    const list = await this.client.onCalls(escalationPolicyId);
    return list.map((o) => ({ level: o.level, name: o.user.name }));
  }

  async userEmail(userId: string): Promise<string | null> {
    return this.client.userEmail(userId);
  }

  /** The REST incident of a page: the id it learnt, else the open incident with its dedup key. */
  private async incidentOf(page: Page, target: PageTarget | null): Promise<string | null> {
    return (
      page.pdIncidentId ??
      (await this.client.findOpenIncident(page.dedupKey, rest(page, target).serviceId))?.id ??
      null
    );
  }
}
