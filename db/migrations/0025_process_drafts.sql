CREATE TABLE "process_drafts" (
	"key" text PRIMARY KEY NOT NULL,
	"xml" text NOT NULL,
	"based_on_version" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" text NOT NULL,
	"updated_by_name" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "process_definitions" ADD COLUMN "reason" text;