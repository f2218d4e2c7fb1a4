-- Chinese substring search over projects (docs/decisions/021): pg_trgm's trigram index on one
-- lower-cased text per project; the platform keeps it (projects/search-text.server.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "search_text" text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "policies_issue_date_idx" ON "policies" USING btree ("issue_date");--> statement-breakpoint
CREATE INDEX "policies_period_start_idx" ON "policies" USING btree ("period_start");--> statement-breakpoint
CREATE INDEX "projects_tis_idx" ON "projects" USING btree ("tis_id");--> statement-breakpoint
CREATE INDEX "projects_developer_idx" ON "projects" USING btree ("developer_id");--> statement-breakpoint
CREATE INDEX "projects_contractor_idx" ON "projects" USING btree ("contractor_id");--> statement-breakpoint
CREATE INDEX "projects_search_text_idx" ON "projects" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
UPDATE "projects" SET "search_text" = lower(concat_ws(' ', "projects"."name", "projects"."community_name", "projects"."permit_no",
  (select o.name from organisations o where o.id = "projects"."developer_id"),
  (select o.name from organisations o where o.id = "projects"."contractor_id"),
  (select o.name from organisations o where o.id = "projects"."tis_id"),
  (select string_agg(o.name, ' ' order by o.name) from organisations o where o.id = "projects"."lead_insurer_id"
     or o.id in (select s.organisation_id from policy_shares s join policies pl on pl.id = s.policy_id
       where pl.project_id = "projects"."id" and s.kind = 'insurer'))));
