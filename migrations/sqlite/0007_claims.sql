ALTER TABLE `inbound_events` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `inbound_events` ADD `claimed_until` integer;--> statement-breakpoint
CREATE INDEX `inbound_claimable` ON `inbound_events` (`source`,`processed_at`,`claimed_until`);--> statement-breakpoint
ALTER TABLE `outbox` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `claimed_until` integer;--> statement-breakpoint
CREATE INDEX `outbox_claimable` ON `outbox` (`state`,`claimed_until`);