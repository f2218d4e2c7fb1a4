DROP INDEX "policy_shares_organisation_idx";--> statement-breakpoint
ALTER TABLE "policy_shares" ADD COLUMN "project_id" uuid;--> statement-breakpoint
UPDATE "policy_shares" s SET "project_id" = p."project_id" FROM "policies" p WHERE p."id" = s."policy_id";--> statement-breakpoint
ALTER TABLE "policy_shares" ALTER COLUMN "project_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "policy_shares" ADD CONSTRAINT "policy_shares_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "policy_shares_organisation_idx" ON "policy_shares" USING btree ("organisation_id","kind","policy_id","project_id");