CREATE TABLE `owner_reminders_sent` (
	`owner_id` text NOT NULL,
	`week` text NOT NULL,
	`sent_at` integer NOT NULL,
	PRIMARY KEY(`owner_id`, `week`)
);
