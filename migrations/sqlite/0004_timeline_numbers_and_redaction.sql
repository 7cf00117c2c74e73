ALTER TABLE `timeline_entries` ADD `number` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `timeline_entries` ADD `redacted_by` text;--> statement-breakpoint
ALTER TABLE `timeline_entries` ADD `redacted_at` integer;--> statement-breakpoint
UPDATE `timeline_entries` SET `number` = n.`rn` FROM (SELECT `id`, row_number() OVER (PARTITION BY `incident_number` ORDER BY `occurred_at`, `recorded_at`, `id`) AS `rn` FROM `timeline_entries`) AS n WHERE `timeline_entries`.`id` = n.`id`;--> statement-breakpoint
UPDATE `timeline_entries` SET `text` = '', `original_text` = NULL, `meta` = json_set(`meta`, '$.files', json('[]')) WHERE `state` = 'deleted';--> statement-breakpoint
UPDATE `slack_messages` SET `text` = '', `files` = '[]' WHERE `deleted_at` IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `timeline_entry_number` ON `timeline_entries` (`incident_number`,`number`);
