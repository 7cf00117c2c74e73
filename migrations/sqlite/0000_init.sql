CREATE TABLE `action_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_number` integer NOT NULL,
	`text` text NOT NULL,
	`owner_id` text,
	`priority` text NOT NULL,
	`due` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`done_at` integer,
	`done_by` text,
	FOREIGN KEY (`incident_number`) REFERENCES `incidents`(`number`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `action_items_incident` ON `action_items` (`incident_number`);--> statement-breakpoint
CREATE TABLE `inbound_events` (
	`source` text NOT NULL,
	`event_id` text NOT NULL,
	`body` text NOT NULL,
	`received_at` integer NOT NULL,
	`processed_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	PRIMARY KEY(`source`, `event_id`)
);
--> statement-breakpoint
CREATE INDEX `inbound_pending` ON `inbound_events` (`processed_at`);--> statement-breakpoint
CREATE TABLE `incident_services` (
	`incident_number` integer NOT NULL,
	`service` text NOT NULL,
	`attached_at` integer NOT NULL,
	PRIMARY KEY(`incident_number`, `service`),
	FOREIGN KEY (`incident_number`) REFERENCES `incidents`(`number`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `incidents` (
	`number` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`severity` integer NOT NULL,
	`status` text NOT NULL,
	`team_id` text NOT NULL,
	`channel_id` text,
	`channel_name` text,
	`declared_by` text NOT NULL,
	`declared_at` integer NOT NULL,
	`mitigated_at` integer,
	`resolved_at` integer,
	`summary` text,
	`headline_ts` text,
	`announce_ts` text,
	`last_update_at` integer,
	`provisioning` text DEFAULT 'pending' NOT NULL,
	`declare_response_url` text,
	`declare_channel_id` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `incidents_channel_id` ON `incidents` (`channel_id`);--> statement-breakpoint
CREATE INDEX `incidents_status` ON `incidents` (`status`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_number` integer,
	`kind` text NOT NULL,
	`payload` text NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`delay_notified_at` integer,
	`created_at` integer NOT NULL,
	`delivered_at` integer
);
--> statement-breakpoint
CREATE INDEX `outbox_due` ON `outbox` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE TABLE `pages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_number` integer NOT NULL,
	`service` text NOT NULL,
	`via` text NOT NULL,
	`dedup_key` text NOT NULL,
	`pd_incident_id` text,
	`status` text NOT NULL,
	`message` text,
	`severity` integer NOT NULL,
	`requested_by` text NOT NULL,
	`requested_at` integer NOT NULL,
	`triggered_at` integer,
	`acknowledged_at` integer,
	`acknowledged_by` text,
	`resolved_at` integer,
	`escalation_prompted_at` integer,
	`escalation_level` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`incident_number`) REFERENCES `incidents`(`number`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pages_dedup` ON `pages` (`dedup_key`);--> statement-breakpoint
CREATE INDEX `pages_incident` ON `pages` (`incident_number`);--> statement-breakpoint
CREATE TABLE `postmortems` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_number` integer NOT NULL,
	`version` integer NOT NULL,
	`filename` text NOT NULL,
	`content` text NOT NULL,
	`file_id` text,
	`permalink` text,
	`requested_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`uploaded_at` integer,
	FOREIGN KEY (`incident_number`) REFERENCES `incidents`(`number`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `postmortems_version` ON `postmortems` (`incident_number`,`version`);--> statement-breakpoint
CREATE TABLE `reminders_sent` (
	`incident_number` integer NOT NULL,
	`key` text NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`incident_number`, `key`),
	FOREIGN KEY (`incident_number`) REFERENCES `incidents`(`number`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `role_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_number` integer NOT NULL,
	`role` text NOT NULL,
	`user_id` text NOT NULL,
	`assigned_by` text NOT NULL,
	`assigned_at` integer NOT NULL,
	`ended_at` integer,
	FOREIGN KEY (`incident_number`) REFERENCES `incidents`(`number`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `role_assignments_current` ON `role_assignments` (`incident_number`,`role`) WHERE ended_at is null;--> statement-breakpoint
CREATE TABLE `runbook_links` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_number` integer NOT NULL,
	`service` text,
	`title` text NOT NULL,
	`url` text NOT NULL,
	`linked_by` text NOT NULL,
	`linked_at` integer NOT NULL,
	FOREIGN KEY (`incident_number`) REFERENCES `incidents`(`number`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `runbook_links_url` ON `runbook_links` (`incident_number`,`url`);--> statement-breakpoint
CREATE TABLE `slack_messages` (
	`channel_id` text NOT NULL,
	`ts` text NOT NULL,
	`thread_ts` text,
	`user_id` text,
	`text` text NOT NULL,
	`files` text DEFAULT '[]' NOT NULL,
	`edited_at` integer,
	`deleted_at` integer,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`channel_id`, `ts`)
);
--> statement-breakpoint
CREATE TABLE `timeline_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`incident_number` integer NOT NULL,
	`kind` text NOT NULL,
	`text` text NOT NULL,
	`original_text` text,
	`actor` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`recorded_at` integer NOT NULL,
	`source_key` text NOT NULL,
	`state` text DEFAULT 'active' NOT NULL,
	`meta` text DEFAULT '{}' NOT NULL,
	FOREIGN KEY (`incident_number`) REFERENCES `incidents`(`number`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `timeline_source_key` ON `timeline_entries` (`incident_number`,`source_key`);--> statement-breakpoint
CREATE INDEX `timeline_incident_time` ON `timeline_entries` (`incident_number`,`occurred_at`);--> statement-breakpoint
CREATE TABLE `timeline_reactions` (
	`channel_id` text NOT NULL,
	`ts` text NOT NULL,
	`user_id` text NOT NULL,
	`emoji` text NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`channel_id`, `ts`, `user_id`, `emoji`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`display_name` text NOT NULL,
	`is_bot` integer DEFAULT false NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`fetched_at` integer NOT NULL
);
