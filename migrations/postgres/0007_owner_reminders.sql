CREATE TABLE "owner_reminders_sent" (
	"owner_id" text NOT NULL,
	"week" text NOT NULL,
	"sent_at" bigint NOT NULL,
	CONSTRAINT "owner_reminders_sent_owner_id_week_pk" PRIMARY KEY("owner_id","week")
);
