DROP INDEX "risk_events_project_idx";--> statement-breakpoint
CREATE INDEX "risk_events_project_idx" ON "risk_events" USING btree ("project_id","level","raised_at");