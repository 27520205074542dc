CREATE TABLE "adverse_event" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"series_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"amends_id" uuid,
	"amendment_reason" text,
	"category" text NOT NULL,
	"severity" text NOT NULL,
	"serious" boolean NOT NULL,
	"description" text NOT NULL,
	"action_taken" text NOT NULL,
	"outcome" text NOT NULL,
	"onset_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "adverse_event_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "adverse_event_id_key" UNIQUE("id"),
	CONSTRAINT "adverse_event_series_version_key" UNIQUE("clinic_id","series_id","version"),
	CONSTRAINT "adverse_event_severity_check" CHECK ("adverse_event"."severity" IN ('mild', 'moderate', 'severe')),
	CONSTRAINT "adverse_event_outcome_check" CHECK ("adverse_event"."outcome" IN ('resolved', 'recovering', 'ongoing', 'resolved-with-sequelae', 'fatal', 'unknown')),
	CONSTRAINT "adverse_event_text" CHECK (length(trim("adverse_event"."description")) > 0 AND length(trim("adverse_event"."action_taken")) > 0),
	CONSTRAINT "adverse_event_versions" CHECK (("adverse_event"."version" = 1 AND "adverse_event"."amends_id" IS NULL AND "adverse_event"."series_id" = "adverse_event"."id" AND "adverse_event"."amendment_reason" IS NULL)
        OR ("adverse_event"."version" > 1 AND "adverse_event"."amends_id" IS NOT NULL AND "adverse_event"."series_id" <> "adverse_event"."id" AND length(trim("adverse_event"."amendment_reason")) > 0))
);
--> statement-breakpoint
CREATE TABLE "psychotherapy_note" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"series_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"amends_id" uuid,
	"author_id" uuid NOT NULL,
	"appointment_id" uuid,
	"body_sealed" text NOT NULL,
	"written_at" timestamp with time zone NOT NULL,
	CONSTRAINT "psychotherapy_note_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "psychotherapy_note_id_key" UNIQUE("id"),
	CONSTRAINT "psychotherapy_note_series_version_key" UNIQUE("clinic_id","series_id","version"),
	CONSTRAINT "psychotherapy_note_versions" CHECK (("psychotherapy_note"."version" = 1 AND "psychotherapy_note"."amends_id" IS NULL AND "psychotherapy_note"."series_id" = "psychotherapy_note"."id")
        OR ("psychotherapy_note"."version" > 1 AND "psychotherapy_note"."amends_id" IS NOT NULL AND "psychotherapy_note"."series_id" <> "psychotherapy_note"."id"))
);
--> statement-breakpoint
CREATE TABLE "rems_form_answer" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"answers" jsonb NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rems_form_answer_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "rems_form_answer_id_key" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "rems_form_submission" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"method" text NOT NULL,
	"confirmation" text,
	"form" jsonb NOT NULL,
	"complete" boolean NOT NULL,
	"due_date" text NOT NULL,
	"late" boolean NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rems_form_submission_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "rems_form_submission_id_key" UNIQUE("id"),
	CONSTRAINT "rems_form_submission_session_key" UNIQUE("clinic_id","session_id"),
	CONSTRAINT "rems_form_submission_method_check" CHECK ("rems_form_submission"."method" IN ('online', 'fax'))
);
--> statement-breakpoint
ALTER TABLE "adverse_event" ADD CONSTRAINT "adverse_event_clinic_id_session_id_dosing_session_clinic_id_id_fk" FOREIGN KEY ("clinic_id","session_id") REFERENCES "public"."dosing_session"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adverse_event" ADD CONSTRAINT "adverse_event_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adverse_event" ADD CONSTRAINT "adverse_event_clinic_id_amends_id_adverse_event_clinic_id_id_fk" FOREIGN KEY ("clinic_id","amends_id") REFERENCES "public"."adverse_event"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adverse_event" ADD CONSTRAINT "adverse_event_clinic_id_series_id_adverse_event_clinic_id_id_fk" FOREIGN KEY ("clinic_id","series_id") REFERENCES "public"."adverse_event"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adverse_event" ADD CONSTRAINT "adverse_event_clinic_id_recorded_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","recorded_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "psychotherapy_note" ADD CONSTRAINT "psychotherapy_note_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "psychotherapy_note" ADD CONSTRAINT "psychotherapy_note_clinic_id_author_id_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","author_id") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "psychotherapy_note" ADD CONSTRAINT "psychotherapy_note_clinic_id_amends_id_psychotherapy_note_clinic_id_id_fk" FOREIGN KEY ("clinic_id","amends_id") REFERENCES "public"."psychotherapy_note"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "psychotherapy_note" ADD CONSTRAINT "psychotherapy_note_clinic_id_series_id_psychotherapy_note_clinic_id_id_fk" FOREIGN KEY ("clinic_id","series_id") REFERENCES "public"."psychotherapy_note"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "psychotherapy_note" ADD CONSTRAINT "psychotherapy_note_clinic_id_appointment_id_appointment_clinic_id_id_fk" FOREIGN KEY ("clinic_id","appointment_id") REFERENCES "public"."appointment"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rems_form_answer" ADD CONSTRAINT "rems_form_answer_clinic_id_session_id_dosing_session_clinic_id_id_fk" FOREIGN KEY ("clinic_id","session_id") REFERENCES "public"."dosing_session"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rems_form_answer" ADD CONSTRAINT "rems_form_answer_clinic_id_recorded_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","recorded_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rems_form_submission" ADD CONSTRAINT "rems_form_submission_clinic_id_session_id_dosing_session_clinic_id_id_fk" FOREIGN KEY ("clinic_id","session_id") REFERENCES "public"."dosing_session"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rems_form_submission" ADD CONSTRAINT "rems_form_submission_clinic_id_recorded_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","recorded_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "adverse_event_amends_once_key" ON "adverse_event" USING btree ("clinic_id","amends_id") WHERE amends_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "adverse_event_session_idx" ON "adverse_event" USING btree ("clinic_id","session_id","onset_at");--> statement-breakpoint
CREATE INDEX "adverse_event_patient_idx" ON "adverse_event" USING btree ("clinic_id","patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "psychotherapy_note_amends_once_key" ON "psychotherapy_note" USING btree ("clinic_id","amends_id") WHERE amends_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "psychotherapy_note_author_patient_idx" ON "psychotherapy_note" USING btree ("clinic_id","author_id","patient_id","written_at");--> statement-breakpoint
CREATE INDEX "rems_form_answer_session_idx" ON "rems_form_answer" USING btree ("clinic_id","session_id","recorded_at");--> statement-breakpoint
CREATE INDEX "rems_form_answer_clinic_idx" ON "rems_form_answer" USING btree ("clinic_id","recorded_at");