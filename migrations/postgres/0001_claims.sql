ALTER TABLE "inbound_events" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "inbound_events" ADD COLUMN "claimed_until" bigint;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "claimed_until" bigint;--> statement-breakpoint
CREATE INDEX "inbound_claimable" ON "inbound_events" USING btree ("source","processed_at","claimed_until");--> statement-breakpoint
CREATE INDEX "outbox_claimable" ON "outbox" USING btree ("state","claimed_until");