CREATE INDEX "policies_issue_date_idx" ON "policies" USING btree ("issue_date");--> statement-breakpoint
CREATE INDEX "projects_tis_idx" ON "projects" USING btree ("tis_id");--> statement-breakpoint
CREATE INDEX "risk_events_raised_at_idx" ON "risk_events" USING btree ("raised_at");--> statement-breakpoint
CREATE INDEX "risk_reports_kind_filed_idx" ON "risk_reports" USING btree ("kind","filed_on");