-- Why an administrator published a form version (required by the form editor and POST /api/v1/forms).
ALTER TABLE "form_definitions" ADD COLUMN "reason" text;
