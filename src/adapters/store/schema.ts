/**
 * The only database schema. Times are epoch milliseconds (UTC) set in code, never by SQLite defaults,
 * which have whole-second precision. JSON columns hold small structured extras.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import type { DraftFigures } from '../../domain/ports/postmortem.js';
import type { FollowUpTarget } from '../../domain/ports/tracker.js';

/** AUTOINCREMENT makes numbers sequential and never reused, even after a row is deleted. */
export const incidents = sqliteTable(
  'incidents',
  {
    number: integer('number').primaryKey({ autoIncrement: true }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    severity: integer('severity').notNull(),
    status: text('status').notNull(),
    teamId: text('team_id').notNull(),
    channelId: text('channel_id'),
    channelName: text('channel_name'),
    /** a private incident: private channel, redacted announcements, listed only to its members */
    private: integer('private', { mode: 'boolean' }).notNull().default(false),
    declaredBy: text('declared_by').notNull(),
    declaredAt: integer('declared_at').notNull(),
    /** when customer impact began and when it was detected, as people recorded them (null: not recorded) */
    impactStartedAt: integer('impact_started_at'),
    detectedAt: integer('detected_at'),
    mitigatedAt: integer('mitigated_at'),
    resolvedAt: integer('resolved_at'),
    summary: text('summary'),
    headlineTs: text('headline_ts'),
    announceTs: text('announce_ts'),
    lastUpdateAt: integer('last_update_at'),
    /** 'pending' until the channel, headline and announcement exist; resumed after a restart */
    provisioning: text('provisioning').notNull().default('pending'),
    /** where the declaration came from, to answer the declarer (response_url) */
    declareResponseUrl: text('declare_response_url'),
    declareChannelId: text('declare_channel_id'),
    /** the instance provisioning the incident, until when (a lease: see IncidentRepo.claimProvisioning) */
    provisioningClaimedBy: text('provisioning_claimed_by'),
    provisioningClaimedUntil: integer('provisioning_claimed_until'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('incidents_channel_id').on(t.channelId), index('incidents_status').on(t.status)],
);

/** Role history: the current holder is the row with ended_at null (one per role, enforced by index). */
export const roleAssignments = sqliteTable(
  'role_assignments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentNumber: integer('incident_number')
      .notNull()
      .references(() => incidents.number),
    role: text('role').notNull(),
    userId: text('user_id').notNull(),
    assignedBy: text('assigned_by').notNull(),
    assignedAt: integer('assigned_at').notNull(),
    endedAt: integer('ended_at'),
  },
  (t) => [uniqueIndex('role_assignments_current').on(t.incidentNumber, t.role).where(sql`ended_at is null`)],
);

export const timelineEntries = sqliteTable(
  'timeline_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentNumber: integer('incident_number')
      .notNull()
      .references(() => incidents.number),
    /**
     * The entry's number within its incident (1, 2, ...), given when it is stored and never changed or reused,
     * so `/incident redact <number>` names the same entry after others are removed. Every insert sets it; the
     * default only lets the migration add the column to existing rows before numbering them.
     */
    number: integer('number').notNull().default(0),
    kind: text('kind').notNull(),
    text: text('text').notNull(),
    originalText: text('original_text'),
    actor: text('actor').notNull(),
    occurredAt: integer('occurred_at').notNull(),
    recordedAt: integer('recorded_at').notNull(),
    /** the final guard against a repeated delivery adding a second entry */
    sourceKey: text('source_key').notNull(),
    state: text('state').notNull().default('active'),
    meta: text('meta', { mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
    /** who blanked the entry with `/incident redact`, and when */
    redactedBy: text('redacted_by'),
    redactedAt: integer('redacted_at'),
  },
  (t) => [
    uniqueIndex('timeline_source_key').on(t.incidentNumber, t.sourceKey),
    uniqueIndex('timeline_entry_number').on(t.incidentNumber, t.number),
    index('timeline_incident_time').on(t.incidentNumber, t.occurredAt),
  ],
);

/** Inbound deliveries (Slack events, PagerDuty webhooks), stored before they are acknowledged. */
export const inboundEvents = sqliteTable(
  'inbound_events',
  {
    source: text('source').notNull(),
    eventId: text('event_id').notNull(),
    body: text('body').notNull(),
    receivedAt: integer('received_at').notNull(),
    processedAt: integer('processed_at'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** the instance handling it (see runtime/instance.ts), until `claimed_until`; null when nobody is */
    claimedBy: text('claimed_by'),
    claimedUntil: integer('claimed_until'),
  },
  (t) => [
    primaryKey({ columns: [t.source, t.eventId] }),
    index('inbound_pending').on(t.processedAt),
    index('inbound_claimable').on(t.source, t.processedAt, t.claimedUntil),
  ],
);

/** Messages seen in incident channels, so a reaction resolves without a Slack API call. */
export const slackMessages = sqliteTable(
  'slack_messages',
  {
    channelId: text('channel_id').notNull(),
    ts: text('ts').notNull(),
    threadTs: text('thread_ts'),
    userId: text('user_id'),
    text: text('text').notNull(),
    files: text('files', { mode: 'json' })
      .$type<{ name: string; url: string; mimetype?: string }[]>()
      .notNull()
      .default([]),
    editedAt: integer('edited_at'),
    deletedAt: integer('deleted_at'),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.ts] })],
);

/** Who holds a timeline reaction on which message: the entry stays while one remains. */
export const timelineReactions = sqliteTable(
  'timeline_reactions',
  {
    channelId: text('channel_id').notNull(),
    ts: text('ts').notNull(),
    userId: text('user_id').notNull(),
    emoji: text('emoji').notNull(),
    addedAt: integer('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.ts, t.userId, t.emoji] })],
);

export const users = sqliteTable('users', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  displayName: text('display_name').notNull(),
  isBot: integer('is_bot', { mode: 'boolean' }).notNull().default(false),
  deleted: integer('deleted', { mode: 'boolean' }).notNull().default(false),
  fetchedAt: integer('fetched_at').notNull(),
});

export const incidentServices = sqliteTable(
  'incident_services',
  {
    incidentNumber: integer('incident_number')
      .notNull()
      .references(() => incidents.number),
    service: text('service').notNull(),
    attachedAt: integer('attached_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentNumber, t.service] })],
);

export const runbookLinks = sqliteTable(
  'runbook_links',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentNumber: integer('incident_number')
      .notNull()
      .references(() => incidents.number),
    service: text('service'),
    title: text('title').notNull(),
    url: text('url').notNull(),
    linkedBy: text('linked_by').notNull(),
    linkedAt: integer('linked_at').notNull(),
  },
  (t) => [uniqueIndex('runbook_links_url').on(t.incidentNumber, t.url)],
);

/** One row per PagerDuty page (incident x service). */
export const pages = sqliteTable(
  'pages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentNumber: integer('incident_number')
      .notNull()
      .references(() => incidents.number),
    service: text('service').notNull(),
    /** 'events' (Events API v2 routing key) or 'rest' (REST API service id) */
    via: text('via').notNull(),
    dedupKey: text('dedup_key').notNull(),
    pdIncidentId: text('pd_incident_id'),
    status: text('status').notNull(),
    message: text('message'),
    severity: integer('severity').notNull(),
    requestedBy: text('requested_by').notNull(),
    requestedAt: integer('requested_at').notNull(),
    triggeredAt: integer('triggered_at'),
    acknowledgedAt: integer('acknowledged_at'),
    acknowledgedBy: text('acknowledged_by'),
    resolvedAt: integer('resolved_at'),
    escalationPromptedAt: integer('escalation_prompted_at'),
    escalationLevel: integer('escalation_level').notNull().default(1),
    /** last escalation asked from Muster; an escalation prompt is due again N minutes after it */
    escalatedAt: integer('escalated_at'),
  },
  (t) => [uniqueIndex('pages_dedup').on(t.dedupKey), index('pages_incident').on(t.incidentNumber)],
);

/** Work to deliver to the outside world, written in the same transaction as the change behind it. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentNumber: integer('incident_number'),
    kind: text('kind').notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    /** pending | delivered | failed (permanently) */
    state: text('state').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error'),
    delayNotifiedAt: integer('delay_notified_at'),
    createdAt: integer('created_at').notNull(),
    deliveredAt: integer('delivered_at'),
    /** the instance delivering it (see runtime/instance.ts), until `claimed_until`; null when nobody is */
    claimedBy: text('claimed_by'),
    claimedUntil: integer('claimed_until'),
  },
  (t) => [
    index('outbox_due').on(t.state, t.nextAttemptAt),
    index('outbox_claimable').on(t.state, t.claimedUntil),
  ],
);

export const actionItems = sqliteTable(
  'action_items',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentNumber: integer('incident_number')
      .notNull()
      .references(() => incidents.number),
    text: text('text').notNull(),
    ownerId: text('owner_id'),
    priority: text('priority').notNull(),
    due: text('due'),
    createdBy: text('created_by').notNull(),
    createdAt: integer('created_at').notNull(),
    doneAt: integer('done_at'),
    doneBy: text('done_by'),
  },
  (t) => [index('action_items_incident').on(t.incidentNumber)],
);

/**
 * The follow-up of an action item: the tracker outbox row that creates its issue (one per action, leased as
 * the page outbox is), then the issue it became and when the poll last checked it.
 */
export const followUps = sqliteTable(
  'follow_ups',
  {
    actionId: integer('action_id')
      .primaryKey()
      .references(() => actionItems.id),
    incidentNumber: integer('incident_number')
      .notNull()
      .references(() => incidents.number),
    /** the FollowUpTarget: { tracker, repo | project + issueType | team } */
    target: text('target', { mode: 'json' }).$type<FollowUpTarget>().notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    /** pending | created | failed (until a person retries) */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error'),
    failureNotifiedAt: integer('failure_notified_at'),
    issueTracker: text('issue_tracker'),
    issueId: text('issue_id'),
    issueKey: text('issue_key'),
    issueUrl: text('issue_url'),
    checkedAt: integer('checked_at'),
    createdAt: integer('created_at').notNull(),
    claimedBy: text('claimed_by'),
    claimedUntil: integer('claimed_until'),
  },
  (t) => [
    uniqueIndex('follow_ups_key').on(t.idempotencyKey),
    uniqueIndex('follow_ups_issue').on(t.issueTracker, t.issueId),
    index('follow_ups_due').on(t.status, t.nextAttemptAt),
    index('follow_ups_incident').on(t.incidentNumber),
  ],
);

export const postmortems = sqliteTable(
  'postmortems',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    incidentNumber: integer('incident_number')
      .notNull()
      .references(() => incidents.number),
    version: integer('version').notNull(),
    filename: text('filename').notNull(),
    fileId: text('file_id'),
    permalink: text('permalink'),
    requestedBy: text('requested_by').notNull(),
    createdAt: integer('created_at').notNull(),
    uploadedAt: integer('uploaded_at'),
    /** what the summary shared with the draft reports (null for drafts stored before uploads were leased) */
    figures: text('figures', { mode: 'json' }).$type<DraftFigures>(),
    /** the instance sharing the draft in Slack, until when (a lease: see PostmortemRepo.claimAbandonedUploads) */
    uploadClaimedBy: text('upload_claimed_by'),
    uploadClaimedUntil: integer('upload_claimed_until'),
    /** when sharing it was given up for good (the last try failed, or its markdown was forgotten) */
    uploadGivenUpAt: integer('upload_given_up_at'),
  },
  (t) => [
    uniqueIndex('postmortems_version').on(t.incidentNumber, t.version),
    index('postmortems_upload_claimable').on(t.uploadClaimedUntil),
  ],
);

/**
 * The markdown of each draft, in a row of its own: recording the upload (file id, permalink) then updates a
 * small row instead of rewriting a draft of megabytes (with secure_delete, every page of it) on the event loop.
 */
export const postmortemContents = sqliteTable('postmortem_contents', {
  postmortemId: integer('postmortem_id')
    .primaryKey()
    .references(() => postmortems.id),
  content: text('content').notNull(),
});

/** Reminders already sent; a reminder's key is derived from stored times so a restart neither loses nor repeats it. */
export const remindersSent = sqliteTable(
  'reminders_sent',
  {
    incidentNumber: integer('incident_number')
      .notNull()
      .references(() => incidents.number),
    key: text('key').notNull(),
    sentAt: integer('sent_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.incidentNumber, t.key] })],
);

/** The weekly DM of overdue action items an owner was sent, per ISO week: a restart does not send it twice. */
export const ownerRemindersSent = sqliteTable(
  'owner_reminders_sent',
  {
    ownerId: text('owner_id').notNull(),
    week: text('week').notNull(),
    sentAt: integer('sent_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.week] })],
);

/**
 * Who opened Muster's App Home, and when last: their Home is published again when an incident changes. One
 * row a person; the index serves "the most recent viewers" of each refresh.
 */
export const homeViewers = sqliteTable(
  'home_viewers',
  {
    userId: text('user_id').primaryKey(),
    openedAt: integer('opened_at').notNull(),
  },
  (t) => [index('home_viewers_opened_at').on(t.openedAt)],
);
