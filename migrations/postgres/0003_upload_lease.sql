ALTER TABLE "postmortems" ADD COLUMN "figures" jsonb;--> statement-breakpoint
ALTER TABLE "postmortems" ADD COLUMN "upload_claimed_by" text;--> statement-breakpoint
ALTER TABLE "postmortems" ADD COLUMN "upload_claimed_until" bigint;--> statement-breakpoint
ALTER TABLE "postmortems" ADD COLUMN "upload_given_up_at" bigint;--> statement-breakpoint
CREATE INDEX "postmortems_upload_claimable" ON "postmortems" USING btree ("upload_claimed_until");