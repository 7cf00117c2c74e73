ALTER TABLE `incidents` ADD `provisioning_claimed_by` text;--> statement-breakpoint
ALTER TABLE `incidents` ADD `provisioning_claimed_until` integer;