DROP INDEX "projects_stage_idx";--> statement-breakpoint
CREATE INDEX "risk_events_active_level_idx" ON "risk_events" USING btree ("level","deadline","seq","overdue_at") WHERE status in ('open', 'rectifying', 'awaiting_review');--> statement-breakpoint
CREATE INDEX "claims_reported_insurer_idx" ON "claims" USING btree ("reported_at","insurer_id","status");--> statement-breakpoint
CREATE INDEX "projects_stage_idx" ON "projects" USING btree ("stage","status","start_date","id","name");