CREATE TABLE "form_definitions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"schema" jsonb NOT NULL,
	"checksum" text NOT NULL,
	"deployed_by" text,
	"deployed_by_name" text NOT NULL,
	"deployed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "process_definitions" ADD COLUMN "form_versions" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "form_definitions_key_version_key" ON "form_definitions" USING btree ("key","version");