CREATE TABLE "instance_copies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"instance_id" uuid NOT NULL,
	"task_id" uuid,
	"organisation_id" uuid NOT NULL,
	"copied_by" text NOT NULL,
	"copied_by_name" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "recall" jsonb;--> statement-breakpoint
ALTER TABLE "instance_copies" ADD CONSTRAINT "instance_copies_instance_id_process_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."process_instances"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instance_copies" ADD CONSTRAINT "instance_copies_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instance_copies" ADD CONSTRAINT "instance_copies_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "instance_copies_instance_organisation_key" ON "instance_copies" USING btree ("instance_id","organisation_id");--> statement-breakpoint
CREATE INDEX "instance_copies_organisation_idx" ON "instance_copies" USING btree ("organisation_id");