ALTER TABLE "phone_codes" ADD COLUMN "verified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "phone_codes" ADD COLUMN "reserved" boolean DEFAULT false NOT NULL;