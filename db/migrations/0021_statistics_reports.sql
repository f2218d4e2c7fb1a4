ALTER TABLE "reports" ADD COLUMN "period_kind" text;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "cut_off" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "requested_by" text;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "reports_period_idx" ON "reports" USING btree ("kind","period_kind","period_start") WHERE period_kind is not null;
