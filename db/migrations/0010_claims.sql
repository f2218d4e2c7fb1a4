CREATE TABLE "claim_ratings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"claim_id" uuid NOT NULL,
	"insurer_id" uuid NOT NULL,
	"repairer_id" uuid,
	"stars" smallint NOT NULL,
	"reasons" text[] DEFAULT '{}'::text[] NOT NULL,
	"comment" text,
	"channel" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "claims" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "claims_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"project_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"policy_id" uuid,
	"insurer_id" uuid NOT NULL,
	"repairer_id" uuid,
	"channel" text NOT NULL,
	"part" text NOT NULL,
	"in_coverage" boolean NOT NULL,
	"description" text NOT NULL,
	"photos" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reporter_name" text NOT NULL,
	"reporter_phone" text NOT NULL,
	"estimate" numeric(12, 2),
	"fast_track" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'reported' NOT NULL,
	"survey" jsonb,
	"decline_reason" text,
	"assessment" jsonb,
	"repair" jsonb,
	"refusal_reason" text,
	"refusal_count" integer DEFAULT 0 NOT NULL,
	"settlement" jsonb,
	"overdue_steps" text[] DEFAULT '{}'::text[] NOT NULL,
	"escalated_at" timestamp with time zone,
	"reported_by" text,
	"reported_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"decided_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"instance_id" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "owner_chats" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel" text NOT NULL,
	"chat_key" text NOT NULL,
	"phone" text,
	"verified_at" timestamp with time zone,
	"state" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"window_start" timestamp with time zone,
	"window_count" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "owner_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone" text NOT NULL,
	"claim_id" uuid NOT NULL,
	"text" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "phone_codes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"phone" text NOT NULL,
	"code_hash" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"project_id" uuid NOT NULL,
	"building" text NOT NULL,
	"unit_no" text NOT NULL,
	"room" text NOT NULL,
	"area" numeric(10, 2),
	"owner_name" text,
	"owner_phone" text,
	"imported_by" text,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "claim_ratings" ADD CONSTRAINT "claim_ratings_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_ratings" ADD CONSTRAINT "claim_ratings_insurer_id_organisations_id_fk" FOREIGN KEY ("insurer_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claim_ratings" ADD CONSTRAINT "claim_ratings_repairer_id_organisations_id_fk" FOREIGN KEY ("repairer_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_policy_id_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."policies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_insurer_id_organisations_id_fk" FOREIGN KEY ("insurer_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_repairer_id_organisations_id_fk" FOREIGN KEY ("repairer_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "owner_messages" ADD CONSTRAINT "owner_messages_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "claim_ratings_claim_key" ON "claim_ratings" USING btree ("claim_id");--> statement-breakpoint
CREATE INDEX "claim_ratings_insurer_idx" ON "claim_ratings" USING btree ("insurer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "claims_seq_key" ON "claims" USING btree ("seq");--> statement-breakpoint
CREATE INDEX "claims_project_idx" ON "claims" USING btree ("project_id","reported_at");--> statement-breakpoint
CREATE INDEX "claims_unit_idx" ON "claims" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "claims_insurer_idx" ON "claims" USING btree ("insurer_id","status");--> statement-breakpoint
CREATE INDEX "claims_repairer_idx" ON "claims" USING btree ("repairer_id");--> statement-breakpoint
CREATE INDEX "claims_reporter_phone_idx" ON "claims" USING btree ("reporter_phone");--> statement-breakpoint
CREATE INDEX "claims_status_idx" ON "claims" USING btree ("status","reported_at");--> statement-breakpoint
CREATE UNIQUE INDEX "owner_chats_key" ON "owner_chats" USING btree ("channel","chat_key");--> statement-breakpoint
CREATE INDEX "owner_chats_phone_idx" ON "owner_chats" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "owner_messages_phone_idx" ON "owner_messages" USING btree ("phone","created_at");--> statement-breakpoint
CREATE INDEX "owner_messages_pending_idx" ON "owner_messages" USING btree ("created_at") WHERE delivered_at is null;--> statement-breakpoint
CREATE INDEX "phone_codes_phone_idx" ON "phone_codes" USING btree ("phone","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "units_address_key" ON "units" USING btree ("project_id","building","unit_no","room");--> statement-breakpoint
CREATE INDEX "units_owner_phone_idx" ON "units" USING btree ("owner_phone");