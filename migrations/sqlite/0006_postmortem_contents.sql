CREATE TABLE `postmortem_contents` (
	`postmortem_id` integer PRIMARY KEY NOT NULL,
	`content` text NOT NULL,
	FOREIGN KEY (`postmortem_id`) REFERENCES `postmortems`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `postmortem_contents` (`postmortem_id`, `content`) SELECT `id`, `content` FROM `postmortems`;--> statement-breakpoint
ALTER TABLE `postmortems` DROP COLUMN `content`;