CREATE TABLE "inspections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"tis_id" uuid NOT NULL,
	"inspected_on" date NOT NULL,
	"stage" text NOT NULL,
	"inspectors" text NOT NULL,
	"findings" text NOT NULL,
	"photos" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"instance_id" uuid,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "risk_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "risk_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"project_id" uuid NOT NULL,
	"inspection_id" uuid,
	"source" text DEFAULT 'inspection' NOT NULL,
	"tis_id" uuid NOT NULL,
	"rectifier_role" text NOT NULL,
	"rectifier_id" uuid NOT NULL,
	"category" text NOT NULL,
	"level" text NOT NULL,
	"location" text NOT NULL,
	"description" text NOT NULL,
	"photos" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"deadline" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"overdue_at" timestamp with time zone,
	"rectification" jsonb,
	"return_reason" text,
	"return_count" integer DEFAULT 0 NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"rectified_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"instance_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "risk_reports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"tis_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"body" jsonb NOT NULL,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"score" numeric(5, 1),
	"grade" text,
	"metrics" jsonb,
	"decision" text,
	"decision_note" text,
	"filed_on" date NOT NULL,
	"instance_id" uuid,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tis_ratings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"tis_id" uuid NOT NULL,
	"insurer_id" uuid NOT NULL,
	"stars" smallint NOT NULL,
	"comment" text,
	"rated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "policies" ADD COLUMN "status" text DEFAULT 'in_force' NOT NULL;--> statement-breakpoint
ALTER TABLE "policies" ADD COLUMN "terminated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "policies" ADD COLUMN "termination_reason" text;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "stage" text DEFAULT 'insurance' NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "sections" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "completion_accepted_on" date;--> statement-breakpoint
ALTER TABLE "projects" ADD COLUMN "reinspection_due_on" date;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_tis_id_organisations_id_fk" FOREIGN KEY ("tis_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_events" ADD CONSTRAINT "risk_events_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_events" ADD CONSTRAINT "risk_events_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_events" ADD CONSTRAINT "risk_events_tis_id_organisations_id_fk" FOREIGN KEY ("tis_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_events" ADD CONSTRAINT "risk_events_rectifier_id_organisations_id_fk" FOREIGN KEY ("rectifier_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_reports" ADD CONSTRAINT "risk_reports_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "risk_reports" ADD CONSTRAINT "risk_reports_tis_id_organisations_id_fk" FOREIGN KEY ("tis_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tis_ratings" ADD CONSTRAINT "tis_ratings_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tis_ratings" ADD CONSTRAINT "tis_ratings_tis_id_organisations_id_fk" FOREIGN KEY ("tis_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tis_ratings" ADD CONSTRAINT "tis_ratings_insurer_id_organisations_id_fk" FOREIGN KEY ("insurer_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "inspections_project_idx" ON "inspections" USING btree ("project_id","inspected_on");--> statement-breakpoint
CREATE UNIQUE INDEX "risk_events_seq_key" ON "risk_events" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "risk_events_project_idx" ON "risk_events" USING btree ("project_id","raised_at");--> statement-breakpoint
CREATE INDEX "risk_events_status_idx" ON "risk_events" USING btree ("status","level");--> statement-breakpoint
CREATE INDEX "risk_events_tis_idx" ON "risk_events" USING btree ("tis_id");--> statement-breakpoint
CREATE INDEX "risk_events_rectifier_idx" ON "risk_events" USING btree ("rectifier_id");--> statement-breakpoint
CREATE INDEX "risk_events_open_idx" ON "risk_events" USING btree ("deadline") WHERE status in ('open', 'rectifying', 'awaiting_review');--> statement-breakpoint
CREATE INDEX "risk_reports_project_idx" ON "risk_reports" USING btree ("project_id","kind","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tis_ratings_project_key" ON "tis_ratings" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "tis_ratings_tis_idx" ON "tis_ratings" USING btree ("tis_id");--> statement-breakpoint
CREATE INDEX "projects_stage_idx" ON "projects" USING btree ("stage");--> statement-breakpoint
-- Projects already confirmed as insured are at their risk briefing (the risk-management flow's first step).
UPDATE "projects" SET "stage" = 'planning' WHERE "status" = 'insured';
