DROP INDEX "projects_district_idx";--> statement-breakpoint
CREATE INDEX "projects_district_idx" ON "projects" USING btree ("district","id");