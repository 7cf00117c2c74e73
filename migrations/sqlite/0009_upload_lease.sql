ALTER TABLE `postmortems` ADD `figures` text;--> statement-breakpoint
ALTER TABLE `postmortems` ADD `upload_claimed_by` text;--> statement-breakpoint
ALTER TABLE `postmortems` ADD `upload_claimed_until` integer;--> statement-breakpoint
ALTER TABLE `postmortems` ADD `upload_given_up_at` integer;--> statement-breakpoint
CREATE INDEX `postmortems_upload_claimable` ON `postmortems` (`upload_claimed_until`);