CREATE TABLE "risk_event_tallies" (
	"project_id" uuid NOT NULL,
	"tis_id" uuid NOT NULL,
	"events" integer NOT NULL,
	CONSTRAINT "risk_event_tallies_project_id_tis_id_pk" PRIMARY KEY("project_id","tis_id")
);
--> statement-breakpoint
CREATE TABLE "claim_tallies" (
	"project_id" uuid NOT NULL,
	"insurer_id" uuid NOT NULL,
	"claims" integer NOT NULL,
	CONSTRAINT "claim_tallies_project_id_insurer_id_pk" PRIMARY KEY("project_id","insurer_id")
);
--> statement-breakpoint
DROP INDEX "policy_shares_organisation_idx";--> statement-breakpoint
DROP INDEX "projects_lead_insurer_idx";--> statement-breakpoint
DROP INDEX "risk_events_open_idx";--> statement-breakpoint
DROP INDEX "claim_ratings_created_idx";--> statement-breakpoint
DROP INDEX "claims_reported_idx";--> statement-breakpoint
DROP INDEX "claims_closed_idx";--> statement-breakpoint
DROP INDEX "claims_late_idx";--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "paid_amount" numeric GENERATED ALWAYS AS (((settlement ->> 'paidAmount'::text))::numeric) STORED;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "repair_cost" numeric GENERATED ALWAYS AS (((settlement ->> 'cost'::text))::numeric) STORED;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "found_part" text GENERATED ALWAYS AS (COALESCE((settlement ->> 'part'::text), (survey ->> 'part'::text), part)) STORED;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "found_cause" text GENERATED ALWAYS AS (NULLIF(btrim(COALESCE((settlement ->> 'cause'::text), (survey ->> 'cause'::text))), ''::text)) STORED;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "assessed" boolean GENERATED ALWAYS AS ((assessment IS NOT NULL)) STORED;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "repair_days" integer GENERATED ALWAYS AS ((make_date((split_part((repair ->> 'finishedOn'::text), '-'::text, 1))::integer, (split_part((repair ->> 'finishedOn'::text), '-'::text, 2))::integer, (split_part((repair ->> 'finishedOn'::text), '-'::text, 3))::integer) - ((reported_at AT TIME ZONE 'Asia/Shanghai'::text))::date)) STORED;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "repeat_within_year" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "risk_event_tallies" ADD CONSTRAINT "risk_event_tallies_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_event_tallies" ADD CONSTRAINT "risk_event_tallies_tis_id_organisations_id_fk" FOREIGN KEY ("tis_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_tallies" ADD CONSTRAINT "claim_tallies_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_tallies" ADD CONSTRAINT "claim_tallies_insurer_id_organisations_id_fk" FOREIGN KEY ("insurer_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "risk_event_tallies_tis_idx" ON "risk_event_tallies" USING btree ("tis_id");--> statement-breakpoint
CREATE INDEX "claim_tallies_insurer_idx" ON "claim_tallies" USING btree ("insurer_id");--> statement-breakpoint
CREATE INDEX "policies_id_project_idx" ON "policies" USING btree ("id","project_id");--> statement-breakpoint
CREATE INDEX "claims_repaired_idx" ON "claims" USING btree ("reported_at","repairer_id","project_id","policy_id","insurer_id","refusal_count","repair_days","repeat_within_year") WHERE repair IS NOT NULL;--> statement-breakpoint
CREATE INDEX "claims_open_late_idx" ON "claims" USING btree ("project_id","insurer_id","policy_id","reported_at") WHERE cardinality(overdue_steps) > 0 and status not in ('closed', 'declined', 'withdrawn');--> statement-breakpoint
CREATE INDEX "policy_shares_organisation_idx" ON "policy_shares" USING btree ("organisation_id","kind","policy_id");--> statement-breakpoint
CREATE INDEX "projects_lead_insurer_idx" ON "projects" USING btree ("lead_insurer_id","id");--> statement-breakpoint
CREATE INDEX "risk_events_open_idx" ON "risk_events" USING btree ("deadline","overdue_at","project_id","tis_id") WHERE status in ('open', 'rectifying', 'awaiting_review');--> statement-breakpoint
CREATE INDEX "claim_ratings_created_idx" ON "claim_ratings" USING btree ("created_at","insurer_id","repairer_id","stars","reasons","claim_id");--> statement-breakpoint
CREATE INDEX "claims_reported_idx" ON "claims" USING btree ("reported_at","project_id","policy_id","insurer_id","status","paid_amount","repair_cost","found_part","found_cause","fast_track","accepted_at","assessed","escalated_at","overdue_steps");--> statement-breakpoint
CREATE INDEX "claims_closed_idx" ON "claims" USING btree ("closed_at","project_id","policy_id","insurer_id","paid_amount") WHERE status = 'closed';--> statement-breakpoint
CREATE INDEX "claims_late_idx" ON "claims" USING btree ("reported_at","status","project_id","insurer_id","policy_id") WHERE cardinality(overdue_steps) > 0;--> statement-breakpoint
INSERT INTO "risk_event_tallies" ("project_id", "tis_id", "events") SELECT "project_id", "tis_id", count(*) FROM "risk_events" GROUP BY 1, 2;--> statement-breakpoint
INSERT INTO "claim_tallies" ("project_id", "insurer_id", "claims") SELECT "project_id", "insurer_id", count(*) FROM "claims" GROUP BY 1, 2;--> statement-breakpoint
UPDATE "claims" c SET "repeat_within_year" = EXISTS (SELECT 1 FROM "claims" later WHERE later.unit_id = c.unit_id
  AND later.part = c.part AND later.id <> c.id
  AND (later.reported_at AT TIME ZONE 'Asia/Shanghai')::date >= (c.repair ->> 'finishedOn')::date
  AND (later.reported_at AT TIME ZONE 'Asia/Shanghai')::date <= (c.repair ->> 'finishedOn')::date + interval '1 year')
WHERE c.repair IS NOT NULL;
