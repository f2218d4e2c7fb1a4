CREATE INDEX "claim_ratings_created_idx" ON "claim_ratings" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "claims_reported_idx" ON "claims" USING btree ("reported_at");--> statement-breakpoint
CREATE INDEX "claims_closed_idx" ON "claims" USING btree ("closed_at") WHERE status = 'closed';--> statement-breakpoint
CREATE INDEX "claims_late_idx" ON "claims" USING btree ("reported_at") WHERE cardinality(overdue_steps) > 0;