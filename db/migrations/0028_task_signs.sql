CREATE TABLE "task_signs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"task_id" uuid NOT NULL,
	"instance_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"organisation_id" uuid NOT NULL,
	"user_id" text,
	"status" text DEFAULT 'open' NOT NULL,
	"note" text,
	"submission" jsonb,
	"comment" text,
	"asked_by" text NOT NULL,
	"asked_by_name" text NOT NULL,
	"opinion" text,
	"answered_by" text,
	"answered_by_name" text,
	"answered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "task_signs" ADD CONSTRAINT "task_signs_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_signs" ADD CONSTRAINT "task_signs_instance_id_process_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."process_instances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_signs" ADD CONSTRAINT "task_signs_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "task_signs_task_idx" ON "task_signs" USING btree ("task_id","status");--> statement-breakpoint
CREATE INDEX "task_signs_open_idx" ON "task_signs" USING btree ("status","organisation_id");