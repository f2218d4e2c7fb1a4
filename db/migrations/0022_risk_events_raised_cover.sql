DROP INDEX "risk_events_raised_at_idx";--> statement-breakpoint
CREATE INDEX "risk_events_raised_at_idx" ON "risk_events" USING btree ("raised_at","project_id","tis_id","level","status","category");
