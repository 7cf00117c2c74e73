CREATE TABLE "follow_ups" (
	"action_id" integer PRIMARY KEY NOT NULL,
	"incident_number" integer NOT NULL,
	"target" jsonb NOT NULL,
	"idempotency_key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" bigint NOT NULL,
	"last_error" text,
	"failure_notified_at" bigint,
	"issue_tracker" text,
	"issue_id" text,
	"issue_key" text,
	"issue_url" text,
	"checked_at" bigint,
	"created_at" bigint NOT NULL,
	"claimed_by" text,
	"claimed_until" bigint
);
--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_action_id_action_items_id_fk" FOREIGN KEY ("action_id") REFERENCES "public"."action_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_incident_number_incidents_number_fk" FOREIGN KEY ("incident_number") REFERENCES "public"."incidents"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "follow_ups_key" ON "follow_ups" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "follow_ups_issue" ON "follow_ups" USING btree ("issue_tracker","issue_id");--> statement-breakpoint
CREATE INDEX "follow_ups_due" ON "follow_ups" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "follow_ups_incident" ON "follow_ups" USING btree ("incident_number");