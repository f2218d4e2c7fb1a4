CREATE TABLE "policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"policy_no" text NOT NULL,
	"insurance_type" text NOT NULL,
	"coverage" jsonb NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"sum_insured" numeric(16, 2) NOT NULL,
	"rate" numeric(8, 6) NOT NULL,
	"premium" numeric(16, 2) NOT NULL,
	"issue_date" date NOT NULL,
	"documents" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_shares" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"policy_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"is_lead" boolean DEFAULT false NOT NULL,
	"share" numeric(5, 2) NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"permit_no" text NOT NULL,
	"name" text NOT NULL,
	"community_name" text NOT NULL,
	"district" text NOT NULL,
	"address" text NOT NULL,
	"longitude" double precision,
	"latitude" double precision,
	"gross_floor_area" numeric(14, 2) NOT NULL,
	"building_count" integer NOT NULL,
	"home_count" integer NOT NULL,
	"construction_cost" numeric(16, 2) NOT NULL,
	"start_date" date NOT NULL,
	"planned_completion_date" date NOT NULL,
	"drawings" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"developer_id" uuid,
	"contractor_id" uuid,
	"supervisor_id" uuid,
	"designer_id" uuid,
	"lead_insurer_id" uuid NOT NULL,
	"tis_id" uuid,
	"status" text DEFAULT 'draft' NOT NULL,
	"return_reason" text,
	"confirmed_at" timestamp with time zone,
	"confirmed_by" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "policies" ADD CONSTRAINT "policies_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_shares" ADD CONSTRAINT "policy_shares_policy_id_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."policies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_shares" ADD CONSTRAINT "policy_shares_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_developer_id_organisations_id_fk" FOREIGN KEY ("developer_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_contractor_id_organisations_id_fk" FOREIGN KEY ("contractor_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_supervisor_id_organisations_id_fk" FOREIGN KEY ("supervisor_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_designer_id_organisations_id_fk" FOREIGN KEY ("designer_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_lead_insurer_id_organisations_id_fk" FOREIGN KEY ("lead_insurer_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_tis_id_organisations_id_fk" FOREIGN KEY ("tis_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "policies_policy_no_key" ON "policies" USING btree ("policy_no");--> statement-breakpoint
CREATE UNIQUE INDEX "policies_project_key" ON "policies" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "policy_shares_policy_idx" ON "policy_shares" USING btree ("policy_id");--> statement-breakpoint
CREATE INDEX "policy_shares_organisation_idx" ON "policy_shares" USING btree ("organisation_id","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "projects_permit_no_key" ON "projects" USING btree ("permit_no");--> statement-breakpoint
CREATE INDEX "projects_status_idx" ON "projects" USING btree ("status");--> statement-breakpoint
CREATE INDEX "projects_district_idx" ON "projects" USING btree ("district");--> statement-breakpoint
CREATE INDEX "projects_lead_insurer_idx" ON "projects" USING btree ("lead_insurer_id");--> statement-breakpoint
CREATE INDEX "projects_name_idx" ON "projects" USING btree (lower("name"));