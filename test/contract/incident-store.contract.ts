/**
 * One suite that describes the IncidentStore port; every store passes it: the drizzle SQLite store, the
 * in-memory store the use-case tests run on, and the PostgreSQL store next. A fake that passes it cannot
 * drift from the real store. Orders the port leaves open (a plain scan) are compared sorted.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { IncidentStore } from '../../src/domain/ports.js';
import { inboxContract, messageContract, reactionContract } from './incident-store/deliveries.js';
import {
  actionContract,
  postmortemContract,
  reminderContract,
  serviceContract,
  userContract,
} from './incident-store/follow-ups.js';
import { homeViewerContract } from './incident-store/home-viewers.js';
import { incidentContract } from './incident-store/incidents.js';
import { outboxContract, pageContract } from './incident-store/paging.js';
import { postmortemUploadContract } from './incident-store/postmortem-uploads.js';
import { timelineContract } from './incident-store/timeline.js';
import { trackerInboxContract } from './incident-store/tracker-deliveries.js';
import {
  actionFollowUpContract,
  openActionsContract,
  trackerOutboxContract,
} from './incident-store/tracker-outbox.js';
import { unitOfWorkContract } from './incident-store/unit-of-work.js';

/** Runs the contract against a store that `makeStore` opens empty, once per test; each is closed after it. */
export function describeIncidentStore(
  name: string,
  makeStore: () => IncidentStore | Promise<IncidentStore>,
): void {
  describe(`IncidentStore contract: ${name}`, () => {
    let store: IncidentStore | null = null;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store?.close();
      store = null;
    });
    const use = (): IncidentStore => {
      if (!store) throw new Error('no store: call use() inside a test');
      return store;
    };
    describe('incidents', () => incidentContract(use));
    describe('timeline', () => timelineContract(use));
    describe('inbound', () => inboxContract(use));
    describe('tracker deliveries', () => trackerInboxContract(use));
    describe('messages', () => messageContract(use));
    describe('reactions', () => reactionContract(use));
    describe('pages', () => pageContract(use));
    describe('outbox', () => outboxContract(use));
    describe('actions', () => actionContract(use));
    describe('action owners and reopening', () => actionFollowUpContract(use));
    describe('tracker outbox', () => trackerOutboxContract(use));
    describe('open actions across incidents', () => openActionsContract(use));
    describe('postmortems', () => postmortemContract(use));
    describe('postmortem uploads', () => postmortemUploadContract(use));
    describe('services', () => serviceContract(use));
    describe('reminders', () => reminderContract(use));
    describe('users', () => userContract(use));
    describe('App Home viewers', () => homeViewerContract(use));
    describe('unit of work', () => unitOfWorkContract(use));
  });
}
