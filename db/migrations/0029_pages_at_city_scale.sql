DROP INDEX "projects_tis_idx";--> statement-breakpoint
DROP INDEX "projects_property_company_idx";--> statement-breakpoint
DROP INDEX "projects_developer_idx";--> statement-breakpoint
DROP INDEX "projects_contractor_idx";--> statement-breakpoint
CREATE INDEX "tasks_open_due_idx" ON "tasks" USING btree ("due_at","created_at") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "projects_updated_idx" ON "projects" USING btree ("updated_at" DESC NULLS LAST,"id");--> statement-breakpoint
CREATE INDEX "inspections_day_idx" ON "inspections" USING btree ("inspected_on","project_id");--> statement-breakpoint
CREATE INDEX "risk_events_active_raised_idx" ON "risk_events" USING btree ("raised_at","seq") WHERE status in ('open', 'rectifying', 'awaiting_review');--> statement-breakpoint
CREATE INDEX "risk_events_deadline_idx" ON "risk_events" USING btree ("deadline","tis_id","status");--> statement-breakpoint
CREATE INDEX "risk_events_text_idx" ON "risk_events" USING gin (("location" || ' ' || "description") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "claims_open_idx" ON "claims" USING btree ("project_id") WHERE status not in ('closed', 'declined', 'withdrawn');--> statement-breakpoint
CREATE INDEX "projects_tis_idx" ON "projects" USING btree ("tis_id","id");--> statement-breakpoint
CREATE INDEX "projects_property_company_idx" ON "projects" USING btree ("property_company_id","id");--> statement-breakpoint
CREATE INDEX "projects_developer_idx" ON "projects" USING btree ("developer_id","id");--> statement-breakpoint
CREATE INDEX "projects_contractor_idx" ON "projects" USING btree ("contractor_id","id");