CREATE TABLE "background_job" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb,
	"status" text DEFAULT 'queued' NOT NULL,
	"progress" integer DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer NOT NULL,
	"run_at" timestamp with time zone NOT NULL,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"dedupe_key" text,
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "background_job_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "background_job_status_check" CHECK ("background_job"."status" in ('queued', 'running', 'succeeded', 'failed')),
	CONSTRAINT "background_job_progress_check" CHECK ("background_job"."progress" between 0 and 100)
);
--> statement-breakpoint
DROP INDEX "measure_assignment_one_pending_key";--> statement-breakpoint
ALTER TABLE "measure_assignment" ADD COLUMN "plan_id" uuid;--> statement-breakpoint
ALTER TABLE "measure_assignment" ADD COLUMN "schedule_key" text;--> statement-breakpoint
ALTER TABLE "measure_assignment" ADD COLUMN "missed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "background_job" ADD CONSTRAINT "background_job_clinic_id_clinic_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinic"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "background_job_dedupe_key" ON "background_job" USING btree ("clinic_id","kind","dedupe_key") WHERE "background_job"."dedupe_key" is not null and "background_job"."status" in ('queued', 'running');--> statement-breakpoint
CREATE INDEX "background_job_due_idx" ON "background_job" USING btree ("run_at") WHERE "background_job"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "background_job_lease_idx" ON "background_job" USING btree ("lease_until") WHERE "background_job"."status" = 'running';--> statement-breakpoint
ALTER TABLE "measure_assignment" ADD CONSTRAINT "measure_assignment_clinic_id_plan_id_treatment_plan_clinic_id_id_fk" FOREIGN KEY ("clinic_id","plan_id") REFERENCES "public"."treatment_plan"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "measure_assignment_one_pending_scheduled_key" ON "measure_assignment" USING btree ("clinic_id","patient_id","instrument","schedule_key") WHERE status = 'pending' AND schedule_key IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "measure_assignment_one_pending_key" ON "measure_assignment" USING btree ("clinic_id","patient_id","instrument","reason") WHERE status = 'pending' AND schedule_key IS NULL;