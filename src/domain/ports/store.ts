/**
 * The store as the core sees it: one repository interface per kind of record, and a unit of work over them.
 * The drizzle SQLite store implements it (adapters/store), and so does the in-memory store the use-case tests
 * run on; one contract suite holds both to the same behaviour.
 */
import type { ActionItem } from '../action-item.js';
import type { FollowUp, IssueLookup } from '../follow-up.js';
import type { FollowUpTarget, TrackerIssueRef } from './tracker.js';
import type { Incident, Severity } from '../incident.js';
import type { Page, PageStatus } from '../page.js';
import type { Role, RoleHolders } from '../roles.js';
import type { EntryKind, EntryMeta, EntryState, FileRef, NewEntry, TimelineEntry } from '../timeline.js';
import type { SlackUser } from './chat.js';
import type { DraftFigures } from './postmortem.js';

/** Who sent a stored delivery: Slack, PagerDuty, or a follow-up tracker's webhook. */
export type InboundSource = 'slack' | 'pagerduty' | 'github' | 'jira' | 'linear';

/** Processing of a stored delivery stops being retried after this many failed attempts (the row stays, with its last error). */
export const MAX_INBOUND_ATTEMPTS = 5;

export interface InboundEvent {
  source: InboundSource;
  eventId: string;
  body: string;
  receivedAt: number;
  attempts: number;
}

/**
 * A lease on a row: the instance (`owner`, see runtime/instance.ts) that does its work, until `until` (epoch
 * ms). While it runs, no other instance claims the row; once it has expired (its owner died, or hangs), one may.
 */
export interface Lease {
  owner: string;
  until: number;
}

/** What `InboxRepo.claimStale` takes: deliveries nobody holds, received before `receivedBefore`. */
export interface StaleClaim extends Lease {
  now: number;
  receivedBefore: number;
  limit: number;
}

export interface NewIncident {
  title: string;
  description?: string;
  severity: Severity;
  teamId: string;
  declaredBy: string;
  declaredAt: number;
  /** a private incident (false when absent) */
  private?: boolean;
  declareResponseUrl?: string | null;
  declareChannelId?: string | null;
  /** the instance that declares holds the provisioning from the insert (see IncidentRepo.claimProvisioning) */
  provisioningLease?: Lease;
}

/** What `IncidentRepo.all` lists. */
export interface IncidentListing {
  includePrivate: boolean;
}

/** An incident whose provisioning is not finished, with what resuming it needs. */
export type PendingProvisioning = Incident & {
  declareResponseUrl: string | null;
  declareChannelId: string | null;
  provisioning: ProvisioningState;
};

/**
 * What `IncidentRepo.claimProvisioning` takes: `abandoned` claims only provisioning whose holder's lease expired
 * (an instance died while it worked); `all` also claims provisioning nobody holds (it failed, or was stored
 * before leases), which an instance resumes when it starts.
 */
export interface ProvisioningClaim extends Lease {
  now: number;
  limit: number;
  which: 'abandoned' | 'all';
}

/** pending: channel, headline or announcement missing; followups: those exist, the follow-ups (runbooks, team notices) may not; done. */
export type ProvisioningState = 'pending' | 'followups' | 'done';

export interface RoleAssignment {
  role: Role;
  userId: string;
  assignedBy: string;
  assignedAt: number;
  endedAt: number | null;
}

export interface StoredMessage {
  channelId: string;
  ts: string;
  /** the thread parent's ts, for a reply (null for top-level messages and thread parents) */
  threadTs: string | null;
  /** author: a user id, or a bot id for bot messages without a user */
  userId: string | null;
  text: string;
  files: FileRef[];
  editedAt: number | null;
  deletedAt: number | null;
  receivedAt: number;
}

export type NewMessage = Omit<StoredMessage, 'editedAt' | 'deletedAt' | 'receivedAt'>;

/** Someone who wrote in a channel: a user id (or a bot id), how many messages, and the Slack ts of the first. */
export interface ChannelAuthor {
  userId: string;
  messages: number;
  firstTs: string;
}

export type OutboxKind = 'pagerduty.trigger' | 'pagerduty.resolve' | 'pagerduty.escalate';

export type OutboxState = 'pending' | 'delivered' | 'failed' | 'cancelled';

/** What a PagerDuty row carries: the page it acts on, and for escalations the level asked for. */
export interface OutboxPayload {
  pageId: number;
  level?: number;
  /** set after a timeout or a dropped connection: PagerDuty may have acted on the request */
  maybeSent?: boolean;
  [key: string]: unknown;
}

export interface OutboxRow {
  id: number;
  incidentNumber: number | null;
  kind: OutboxKind;
  payload: OutboxPayload;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  delayNotifiedAt: number | null;
  createdAt: number;
  deliveredAt: number | null;
}

export type NewPage = Pick<
  Page,
  'incidentNumber' | 'service' | 'via' | 'dedupKey' | 'message' | 'severity' | 'requestedBy' | 'requestedAt'
>;

export type PagePatch = Partial<Omit<Page, 'id' | 'incidentNumber' | 'service' | 'via' | 'dedupKey'>>;

/** A draft's record without its markdown, which can be megabytes: what the bot's thread reads and passes around. */
export interface PostmortemRecord {
  id: number;
  incidentNumber: number;
  version: number;
  filename: string;
  fileId: string | null;
  permalink: string | null;
  requestedBy: string;
  createdAt: number;
  uploadedAt: number | null;
}

/**
 * A draft whose sharing was claimed from an instance that died while it uploaded (its lease ran out, neither
 * uploaded nor given up): its record, the markdown stored with it (empty when it was forgotten since: see
 * `forgetContent`), and the figures its summary reports.
 */
export interface AbandonedUpload {
  postmortem: PostmortemRecord;
  markdown: string;
  figures: DraftFigures;
}

export interface TimelineReaction {
  channelId: string;
  ts: string;
  userId: string;
  /** the reaction as Slack named it (a skin tone kept: it is a reaction of its own in Slack) */
  emoji: string;
}

export interface AttachedService {
  service: string;
  attachedAt: number;
}

export interface RunbookLink {
  id: number;
  incidentNumber: number;
  /** the catalog service the runbook came from; null for a URL linked by hand */
  service: string | null;
  title: string;
  url: string;
  linkedBy: string;
  linkedAt: number;
}

export type NewRunbookLink = Omit<RunbookLink, 'id'>;

export interface ActionRepo {
  add(item: Omit<ActionItem, 'id' | 'doneAt' | 'doneBy'>): Promise<ActionItem>;
  get(id: number): Promise<ActionItem | null>;
  /** The incident's items by priority, then by when they were recorded. */
  list(incidentNumber: number): Promise<ActionItem[]>;
  /** Blanks an item's text (its timeline entry was redacted); owner, priority and dates stay. */
  blankText(id: number): Promise<void>;
  /** Marks an item done; false when it was done already. */
  markDone(id: number, by: string, at: number): Promise<boolean>;
  /** Sets (or clears, with null) an item's owner, a Slack user id; false when there is no such item. */
  setOwner(id: number, ownerId: string | null): Promise<boolean>;
  /** Makes a done item open again (its issue was reopened); false when it was not done. */
  reopen(id: number): Promise<boolean>;
  /**
   * Open items across incidents, by incident then as `list` orders them; private incidents' items only with
   * `includePrivate` (a list shown outside their channels leaves them out).
   */
  listOpen(opts: { includePrivate: boolean }): Promise<ActionItem[]>;
  /** Open items with an owner due before `today` (YYYY-MM-DD), grouped per owner (owners sorted), for the weekly DM. */
  overdueByOwner(today: string): Promise<OwnerOverdue[]>;
  /**
   * Claims the owner's reminder of `week` (e.g. `2026-W49`); false when it was claimed already, so a restart
   * does not DM twice in the same week.
   */
  claimOwnerReminder(ownerId: string, week: string, at: number): Promise<boolean>;
  /** Gives a claim back after the DM could not be delivered, so the next run tries again. */
  releaseOwnerReminder(ownerId: string, week: string): Promise<void>;
}

/** One owner's overdue action items. */
export interface OwnerOverdue {
  ownerId: string;
  items: ActionItem[];
}

/**
 * The follow-ups of action items: the tracker outbox (one row per action, written in the same transaction as
 * the action or by a "Create issue" / "Retry" button) and, once created, the issue it became.
 */
export interface FollowUpRepo {
  /** Queues the action's issue, due at `now`; false when the action has a follow-up already. */
  queue(f: {
    actionId: number;
    target: FollowUpTarget;
    idempotencyKey: string;
    now: number;
  }): Promise<boolean>;
  get(actionId: number): Promise<FollowUp | null>;
  /** The follow-ups of an incident's actions, by action id. */
  ofIncident(incidentNumber: number): Promise<FollowUp[]>;
  /**
   * Leases up to `limit` pending rows due at `now` that nobody holds (or whose lease has expired), oldest
   * first, and counts the attempt each starts (`attempts` on the returned rows includes it).
   */
  claimDue(now: number, claim: Lease & { limit: number }): Promise<FollowUp[]>;
  /** Stores the issue and lets go of the lease; false when `owner` no longer holds the row. */
  markCreated(actionId: number, owner: string, issue: TrackerIssueRef, now: number): Promise<boolean>;
  /** Keeps the row pending until `nextAttemptAt` with the reason, and lets go of the lease. */
  retryLater(actionId: number, owner: string, error: string, nextAttemptAt: number): Promise<boolean>;
  /** Marks the row failed for good (a refusal), and lets go of the lease. */
  markFailed(actionId: number, owner: string, error: string): Promise<boolean>;
  /** Records that the channel was told of the failure; false when it was told already (tell it once). */
  markFailureNotified(actionId: number, at: number): Promise<boolean>;
  /** Queues a failed row again (the "Retry" button), due at `now`; false when it was not failed. */
  retry(actionId: number, now: number): Promise<boolean>;
  /** The follow-up whose issue is this one, e.g. for a webhook delivery. */
  findByIssue(lookup: IssueLookup): Promise<FollowUp | null>;
  /** Created follow-ups of open actions, the least recently checked first (never checked before all). */
  dueForCheck(limit: number): Promise<FollowUp[]>;
  /** Stamps when the poll last checked the issue. */
  markChecked(actionId: number, at: number): Promise<void>;
}

export interface InboxRepo {
  /**
   * Stores a delivery, held by `claim` when given (in the same insert: the instance that received it handles
   * it); false when it was stored before (a retry or redelivery), whose lease is left as it is.
   */
  record(source: InboundSource, eventId: string, body: string, at: number, claim?: Lease): Promise<boolean>;
  /**
   * Claims for `owner` until `until` the deliveries still to process (not given up) that were received before
   * `receivedBefore` and that nobody holds (no lease, or one expired at `now`), at most `limit`; returns them
   * oldest first. Two instances claiming at once never get the same delivery.
   */
  claimStale(source: InboundSource, claim: StaleClaim): Promise<InboundEvent[]>;
  /** Marks a delivery processed, and lets go of its lease. */
  markProcessed(source: InboundSource, eventId: string, at: number): Promise<void>;
  /**
   * Marks several deliveries processed at once, as markProcessed does each: atomic by itself (all or none), and
   * one round trip to the database however many there are. Unknown ids are left out.
   */
  markAllProcessed(source: InboundSource, eventIds: readonly string[], at: number): Promise<void>;
  /**
   * Counts a failed attempt and lets go of the lease, so the retry can be claimed; returns the attempts so far
   * (0 when the delivery is unknown).
   */
  markFailed(source: InboundSource, eventId: string, error: string): Promise<number>;
  isProcessed(source: InboundSource, eventId: string): Promise<boolean>;
  /**
   * Blanks a Slack message (text, blocks, attachments, files) in every stored event that carries it: the
   * message event, edits, the deletion's `previous_message`. Returns how many stored events changed.
   */
  blankSlackMessage(channelId: string, ts: string): Promise<number>;
  /**
   * Deletes up to `limit` deliveries that are done with and older than `before`: processed ones (by when they
   * were processed), and ones whose processing gave up (by when they arrived). A delivery still to be
   * processed or retried is never deleted. Returns how many were deleted.
   */
  purge(before: number, limit: number): Promise<number>;
  /** Deliveries stored but not processed, oldest first. */
  pending(source: InboundSource): Promise<InboundEvent[]>;
}

export interface IncidentRepo {
  /** Every Slack event asks for the incident of its channel: prepared once, not rebuilt per event. */
  /** Inserts an incident; AUTOINCREMENT hands out the next number, never reused. */
  create(input: NewIncident): Promise<Incident>;
  get(number: number): Promise<Incident | null>;
  byChannel(channelId: string): Promise<Incident | null>;
  byChannelName(name: string): Promise<Incident | null>;
  /** Open incidents, newest first. */
  listOpen(): Promise<Incident[]>;
  /**
   * Every incident, newest first. `{ includePrivate: false }` leaves private incidents out, as a cross-incident
   * report does unless asked; without options, every incident is listed.
   */
  all(options?: IncidentListing): Promise<Incident[]>;
  /** Incidents whose channel, headline, announcement or follow-ups are not finished, held or not, oldest first. */
  pendingProvisioning(): Promise<PendingProvisioning[]>;
  /**
   * Claims for `owner` until `until` the unfinished provisioning that `which` names (see ProvisioningClaim), at
   * most `limit`, oldest first. Two instances claiming at once never get the same incident.
   */
  claimProvisioning(claim: ProvisioningClaim): Promise<PendingProvisioning[]>;
  /** Extends `owner`'s lease on an incident's provisioning to `until`; false when `owner` no longer holds it. */
  renewProvisioning(number: number, owner: string, until: number): Promise<boolean>;
  /** Lets go of `owner`'s lease on an incident's provisioning (it failed: the next start tries again). */
  releaseProvisioning(number: number, owner: string): Promise<void>;
  /**
   * Records how far provisioning got: `followups` once the channel, headline and announcement exist; `done`
   * also lets go of the lease.
   */
  markProvisioned(number: number, at: number, state?: Exclude<ProvisioningState, 'pending'>): Promise<void>;
  /** Applies a partial change to an incident row. */
  update(number: number, patch: Partial<Omit<Incident, 'number'>>, at: number): Promise<Incident>;
  holders(number: number): Promise<RoleHolders>;
  roleHistory(number: number): Promise<RoleAssignment[]>;
  /** Ends the current holder's term (if any) and records the new holder. Returns the previous holder. */
  assignRole(number: number, role: Role, userId: string, by: string, at: number): Promise<string | null>;
}

export interface MessageRepo {
  get(channelId: string, ts: string): Promise<StoredMessage | null>;
  /** Records a message as first seen; a message already known (fetched, edited or deleted since) is left as it is. */
  addIfNew(m: NewMessage, at: number): Promise<boolean>;
  /**
   * Stores the edited content of a message (recording it when it was not known yet). A message known to be
   * deleted keeps its blank text: an edit delivered late (a retry) must not bring the words back.
   */
  edit(m: NewMessage, editedAt: number, at: number): Promise<void>;
  /**
   * Marks a message deleted in Slack and blanks its text and files; an unknown one is recorded as deleted
   * (with its thread and author when `previous` names them), so a late event about it is recognised.
   */
  markDeleted(
    channelId: string,
    ts: string,
    deletedAt: number,
    previous: Pick<NewMessage, 'threadTs' | 'userId'> | null,
  ): Promise<void>;
  /** Blanks the stored text and files of a message that stays in Slack (a redacted timeline entry). */
  blank(channelId: string, ts: string): Promise<void>;
  /**
   * Who wrote the channel's messages still kept (deleted ones count: their author did post): each author with
   * how many messages and the ts of the first, in order of that first message. Messages without an author are left out.
   */
  authors(channelId: string): Promise<ChannelAuthor[]>;
  /**
   * Deletes messages received before `before`, except those of a channel whose incident is still open: while
   * it is open, a reaction, edit or deletion of any of its messages must find the message here (a purged one
   * would cost a Slack call to read again, and a deleted one could not be recognised). Deletes at most
   * `limit`; returns the count.
   */
  purge(before: number, limit: number): Promise<number>;
}

export interface OutboxRepo {
  /** Queues a row, due at once. Call inside the transaction of the change it delivers. */
  add(
    input: {
      incidentNumber: number | null;
      kind: OutboxKind;
      payload: OutboxPayload;
    },
    now: number,
  ): Promise<OutboxRow>;
  get(id: number): Promise<OutboxRow | null>;
  /** Every pending row, oldest first (due or not). */
  pending(): Promise<OutboxRow[]>;
  /** Pending rows whose next attempt is due, oldest first. */
  due(now: number): Promise<OutboxRow[]>;
  /**
   * Claims for `owner` until `until` the pending rows due at `now` that nobody holds (no lease, or one expired
   * at `now`) and whose page has no earlier pending row (a page's rows go out in order: a resolve never
   * overtakes its trigger), at most `limit`; returns them oldest first. Two instances claiming at once never
   * get the same row.
   */
  claimDue(now: number, claim: Lease & { limit: number }): Promise<OutboxRow[]>;
  /** Lets go of `owner`'s lease on a row that stays pending (not tried now), so any instance may claim it. */
  release(id: number, owner: string): Promise<void>;
  /** Marks a row delivered (counting the attempt) and lets go of its lease. */
  markDelivered(id: number, now: number): Promise<void>;
  /** Gives up on a row for good (PagerDuty refused it); it is never retried. Lets go of its lease. */
  markFailed(id: number, error: string): Promise<void>;
  /** Drops a row that has nothing left to do (e.g. resolving a page that never reached PagerDuty); lets go of its lease. */
  cancel(id: number, reason: string): Promise<void>;
  /** Records a failed attempt and when to try again, and lets go of the lease. */
  retryLater(
    id: number,
    change: {
      nextAttemptAt: number;
      error: string;
      payload?: OutboxPayload;
    },
  ): Promise<OutboxRow>;
  /** Claims the single "delayed" notice of a row; false when it was told already. */
  claimDelayNotice(id: number, now: number): Promise<boolean>;
  /** How many rows are pending and when the oldest was queued (null when none). */
  backlog(): Promise<{
    pending: number;
    oldestCreatedAt: number | null;
  }>;
}

export interface PageRepo {
  /** Inserts a pending page; a dedup key already taken throws (the caller picks the key). */
  create(p: NewPage): Promise<Page>;
  get(id: number): Promise<Page | null>;
  /** Every page of an incident, oldest first (the postmortem reads them for time to acknowledge). */
  list(incidentNumber: number): Promise<Page[]>;
  /** The pages of one service in an incident, oldest first. */
  forService(incidentNumber: number, service: string): Promise<Page[]>;
  byDedupKey(dedupKey: string): Promise<Page | null>;
  byPdIncidentId(pdIncidentId: string): Promise<Page | null>;
  /** Pages in one of these statuses, oldest first. */
  withStatus(statuses: PageStatus[]): Promise<Page[]>;
  update(id: number, patch: PagePatch): Promise<Page>;
  /**
   * Sets when the page's escalation prompt was last shown to `next`, only if it is still `expected` and the
   * page still waits for an acknowledgement (`triggered`); returns the page, or null when another instance
   * prompted first or the page moved on. Claiming a prompt is this swap, so two instances never both prompt.
   */
  swapEscalationPrompt(id: number, expected: number | null, next: number | null): Promise<Page | null>;
}

export interface PostmortemRepo {
  /**
   * Stores the next version of an incident's draft; returns its record (the markdown is not read back). With
   * `upload`, the draft is to be shared: held by `upload.lease` from the insert (the drafting instance shares
   * it), with the figures its summary reports, so another instance can share it should that one die.
   */
  add(row: {
    incidentNumber: number;
    filename: (version: number) => string;
    content: string;
    requestedBy: string;
    createdAt: number;
    upload?: { lease: Lease; figures: DraftFigures };
  }): Promise<PostmortemRecord>;
  /** Records where the draft went in Slack, and lets go of the lease on sharing it. */
  markUploaded(id: number, fileId: string, permalink: string | null, at: number): Promise<void>;
  /** Gives up sharing a draft for good (the last try failed, or it has nothing left to share); lets go of the lease. */
  markGivenUp(id: number, at: number): Promise<void>;
  /**
   * Claims for `owner` until `until` the drafts whose sharing was held by a lease that expired at `now` and that
   * were neither uploaded nor given up, at most `limit`, oldest first. A draft stored without a lease (before
   * leases) is never claimed. Two instances claiming at once never get the same draft.
   */
  claimAbandonedUploads(claim: Lease & { now: number; limit: number }): Promise<AbandonedUpload[]>;
  /** Extends `owner`'s lease on sharing a draft to `until`; false when `owner` no longer holds it (taken over, uploaded or given up). */
  renewUpload(id: number, owner: string, until: number): Promise<boolean>;
  /**
   * Empties the stored markdown of the incident's drafts written at or after `since`: they may quote a
   * timeline entry that was just deleted or redacted. The version, file name and Slack permalink stay (the
   * headline links the uploaded file); `muster export` renders from the timeline, not from these rows.
   * Returns how many drafts were written since.
   */
  forgetContent(incidentNumber: number, since: number): Promise<number>;
  /** The newest uploaded draft of an incident, without its markdown (the headline reads it on every refresh). */
  latestUploaded(incidentNumber: number): Promise<PostmortemRecord | null>;
}

export interface ReactionRepo {
  /** Records a reaction; false when it was recorded before. */
  add(r: TimelineReaction, at: number): Promise<boolean>;
  /** Forgets a reaction; false when it was not recorded. */
  remove(r: TimelineReaction): Promise<boolean>;
  /** How many timeline reactions a message holds. */
  count(channelId: string, ts: string): Promise<number>;
}

export interface ReminderRepo {
  /** Claims a reminder; false when it was already claimed (sent, or being sent). */
  claim(incidentNumber: number, key: string, at: number): Promise<boolean>;
  /** Gives a claim back after the reminder could not be delivered, so the next run tries again. */
  release(incidentNumber: number, key: string): Promise<void>;
  keys(incidentNumber: number): Promise<string[]>;
}

export interface ServiceRepo {
  /** Attaches a service; false when it was already attached. */
  attach(incidentNumber: number, service: string, at: number): Promise<boolean>;
  /** The incident's services, in the order they were attached. */
  attached(incidentNumber: number): Promise<AttachedService[]>;
  /** Links a runbook; null when this URL is already linked to the incident (the first link stays as it is). */
  link(link: NewRunbookLink): Promise<RunbookLink | null>;
  /** The link of this URL, or null. */
  linkOf(incidentNumber: number, url: string): Promise<RunbookLink | null>;
  /** The incident's runbook links, oldest first. */
  links(incidentNumber: number): Promise<RunbookLink[]>;
}

export interface TimelineRepo {
  /** Adds an entry; a repeated source key adds nothing and returns null. */
  add(entry: NewEntry, recordedAt: number): Promise<TimelineEntry | null>;
  bySourceKey(incidentNumber: number, sourceKey: string): Promise<TimelineEntry | null>;
  /** The entry with this number in the incident, removed ones included. */
  byNumber(incidentNumber: number, number: number): Promise<TimelineEntry | null>;
  /** The incident's entries whose meta names this action item (its recording, its completion). */
  ofAction(incidentNumber: number, actionId: number): Promise<TimelineEntry[]>;
  /** Entries in timeline order; removed ones only when asked. */
  list(
    incidentNumber: number,
    opts?: {
      includeRemoved?: boolean;
    },
  ): Promise<TimelineEntry[]>;
  /** The last entry of this kind in timeline order that is not removed; null when there is none. */
  latest(incidentNumber: number, kind: EntryKind): Promise<TimelineEntry | null>;
  countActive(incidentNumber: number): Promise<number>;
  setState(id: number, state: EntryState): Promise<void>;
  /** Replaces the text, keeping the first text recorded in original_text. */
  edit(id: number, text: string, meta: EntryMeta): Promise<void>;
  /**
   * Blanks what an entry said: its text, first text and files; `meta` is merged in (the time of a deletion,
   * say). The kind, author, times and links stay, so the timeline still shows that something was there.
   */
  blank(id: number, meta?: EntryMeta): Promise<void>;
  /** Blanks an entry (see `blank`) and records who redacted it and when. */
  redact(id: number, by: string, at: number): Promise<void>;
  updateMeta(id: number, meta: EntryMeta): Promise<void>;
}

export interface UserRepo {
  get(id: string): Promise<
    | (SlackUser & {
        fetchedAt: number;
      })
    | null
  >;
  many(ids: string[]): Promise<Map<string, SlackUser>>;
  put(u: SlackUser, at: number): Promise<void>;
}

/**
 * Who opened Muster's App Home in Slack, and when they last did: the people whose Home is published again when
 * an incident changes. One row a person, shared by every instance on the database.
 */
export interface HomeViewerRepo {
  /** Records that `userId` opened the Home at `at`; a later open moves the time forward, an earlier one does not. */
  opened(userId: string, at: number): Promise<void>;
  /** Who opened the Home at or after `since`, most recent first (then by user id), at most `limit`. */
  recent(since: number, limit: number): Promise<string[]>;
  /** Forgets at most `limit` people whose last open is before `before`, the longest gone first; returns how many. */
  forget(before: number, limit: number): Promise<number>;
}

/** Every repository over one database, and the transaction that lets a use case write them together. */
export interface IncidentStore {
  readonly incidents: IncidentRepo;
  readonly timeline: TimelineRepo;
  readonly inbound: InboxRepo;
  readonly users: UserRepo;
  readonly messages: MessageRepo;
  readonly reactions: ReactionRepo;
  readonly reminders: ReminderRepo;
  readonly services: ServiceRepo;
  readonly pages: PageRepo;
  readonly outbox: OutboxRepo;
  readonly actions: ActionRepo;
  readonly followUps: FollowUpRepo;
  readonly postmortems: PostmortemRepo;
  readonly homeViewers: HomeViewerRepo;
  /**
   * Runs `fn` in one transaction: every write in it lands, or none does. Inside `fn`, the repositories of this
   * store take part in the transaction (a nested `tx` is a savepoint). `fn` awaits the store and nothing else:
   * a call to Slack or PagerDuty inside it would hold the transaction open for as long.
   */
  tx<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in a transaction shared with the other writes queued in the same turn of the event loop;
   * resolves once it is committed. Await it before acknowledging: what is acknowledged is committed. `fn` makes
   * one write, a repository method (atomic by itself), and reads: a store may run it as it is, outside any
   * transaction (PostgreSQL does, and coalesces timeline adds itself), so two writes that must land together
   * belong in `tx`.
   */
  batched<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Runs `fn` once the transaction in progress has committed (at once outside a transaction); forgets it when
   * the transaction rolls back. For work that must see the transaction's rows, such as delivering the outbox
   * rows it queued: on PostgreSQL a commit takes round trips, so "later in this turn" is not "committed".
   * `fn` only schedules work; it must not throw.
   */
  afterCommit(fn: () => void): void;
  /**
   * Makes text blanked or purged unrecoverable from the storage's own logs (call it outside a transaction).
   * Returns false when that had to wait; `eraseLogIfPending()` tries again.
   */
  eraseLog(): Promise<boolean>;
  /** Retries an `eraseLog()` that had to wait; true when nothing is left to erase. */
  eraseLogIfPending(): Promise<boolean>;
  /** True when the store answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
