ALTER TABLE "projects" ADD COLUMN "property_company_id" uuid;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "home_owner_phone" text;--> statement-breakpoint
ALTER TABLE "owner_chats" ADD COLUMN "created_ip" text;--> statement-breakpoint
ALTER TABLE "owner_chats" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_property_company_id_organisations_id_fk" FOREIGN KEY ("property_company_id") REFERENCES "public"."organisations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "projects_property_company_idx" ON "projects" USING btree ("property_company_id");--> statement-breakpoint
CREATE INDEX "claims_home_owner_phone_idx" ON "claims" USING btree ("home_owner_phone");--> statement-breakpoint
CREATE INDEX "owner_chats_created_ip_idx" ON "owner_chats" USING btree ("created_ip","created_at");--> statement-breakpoint
UPDATE "claims" SET "home_owner_phone" = "units"."owner_phone" FROM "units" WHERE "units"."id" = "claims"."unit_id";
