CREATE TABLE "home_viewers" (
	"user_id" text PRIMARY KEY NOT NULL,
	"opened_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "home_viewers_opened_at" ON "home_viewers" USING btree ("opened_at");