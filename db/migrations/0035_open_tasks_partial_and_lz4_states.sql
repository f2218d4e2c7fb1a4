DROP INDEX "tasks_open_idx";--> statement-breakpoint
CREATE INDEX "tasks_open_idx" ON "tasks" USING btree ("organisation_id") WHERE status = 'open';--> statement-breakpoint
-- The engine's state (6–20 kB of JSON, written at every step, twice in a completion: the instance's
-- and the 撤回 copy) compressed with lz4 rather than pglz: about half the CPU per write (decision 053).
-- PGlite is built without lz4 and keeps pglz.
DO $$
BEGIN
  ALTER TABLE "process_instances" ALTER COLUMN "state" SET COMPRESSION lz4;
  ALTER TABLE "tasks" ALTER COLUMN "recall" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  NULL;
END $$;
