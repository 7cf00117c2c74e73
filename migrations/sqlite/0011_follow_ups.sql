CREATE TABLE `follow_ups` (
	`action_id` integer PRIMARY KEY NOT NULL,
	`incident_number` integer NOT NULL,
	`target` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_error` text,
	`failure_notified_at` integer,
	`issue_tracker` text,
	`issue_id` text,
	`issue_key` text,
	`issue_url` text,
	`checked_at` integer,
	`created_at` integer NOT NULL,
	`claimed_by` text,
	`claimed_until` integer,
	FOREIGN KEY (`action_id`) REFERENCES `action_items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`incident_number`) REFERENCES `incidents`(`number`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `follow_ups_key` ON `follow_ups` (`idempotency_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `follow_ups_issue` ON `follow_ups` (`issue_tracker`,`issue_id`);--> statement-breakpoint
CREATE INDEX `follow_ups_due` ON `follow_ups` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `follow_ups_incident` ON `follow_ups` (`incident_number`);