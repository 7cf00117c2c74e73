CREATE TABLE "timeline_numbers" (
	"incident_number" integer PRIMARY KEY NOT NULL,
	"last_number" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "timeline_numbers" ADD CONSTRAINT "timeline_numbers_incident_number_incidents_number_fk" FOREIGN KEY ("incident_number") REFERENCES "public"."incidents"("number") ON DELETE no action ON UPDATE no action;