ALTER TABLE `incidents` ADD `impact_started_at` integer;--> statement-breakpoint
ALTER TABLE `incidents` ADD `detected_at` integer;