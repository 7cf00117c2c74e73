ALTER TABLE "incidents" ADD COLUMN "provisioning_claimed_by" text;--> statement-breakpoint
ALTER TABLE "incidents" ADD COLUMN "provisioning_claimed_until" bigint;