CREATE TABLE "integration_note" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"series_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"amends_id" uuid,
	"amendment_reason" text,
	"dosing_session_id" uuid NOT NULL,
	"appointment_id" uuid,
	"held_on" date NOT NULL,
	"content" jsonb NOT NULL,
	"has_psychotherapy_note" boolean NOT NULL,
	"psychotherapy_note_id" uuid,
	"written_by" uuid NOT NULL,
	"written_at" timestamp with time zone NOT NULL,
	CONSTRAINT "integration_note_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "integration_note_id_key" UNIQUE("id"),
	CONSTRAINT "integration_note_series_version_key" UNIQUE("clinic_id","series_id","version"),
	CONSTRAINT "integration_note_first_version" CHECK (("integration_note"."version" = 1) = ("integration_note"."amends_id" IS NULL)),
	CONSTRAINT "integration_note_amendment_reason" CHECK (("integration_note"."version" = 1) = ("integration_note"."amendment_reason" IS NULL)),
	CONSTRAINT "integration_note_psychotherapy_flag" CHECK ("integration_note"."psychotherapy_note_id" IS NULL OR "integration_note"."has_psychotherapy_note")
);
--> statement-breakpoint
ALTER TABLE "integration_note" ADD CONSTRAINT "integration_note_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_note" ADD CONSTRAINT "integration_note_clinic_id_amends_id_integration_note_clinic_id_id_fk" FOREIGN KEY ("clinic_id","amends_id") REFERENCES "public"."integration_note"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_note" ADD CONSTRAINT "integration_note_clinic_id_dosing_session_id_dosing_session_clinic_id_id_fk" FOREIGN KEY ("clinic_id","dosing_session_id") REFERENCES "public"."dosing_session"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_note" ADD CONSTRAINT "integration_note_clinic_id_appointment_id_appointment_clinic_id_id_fk" FOREIGN KEY ("clinic_id","appointment_id") REFERENCES "public"."appointment"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_note" ADD CONSTRAINT "integration_note_clinic_id_psychotherapy_note_id_psychotherapy_note_clinic_id_id_fk" FOREIGN KEY ("clinic_id","psychotherapy_note_id") REFERENCES "public"."psychotherapy_note"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "integration_note" ADD CONSTRAINT "integration_note_clinic_id_written_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","written_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "integration_note_amends_once_key" ON "integration_note" USING btree ("clinic_id","amends_id") WHERE amends_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "integration_note_patient_idx" ON "integration_note" USING btree ("clinic_id","patient_id","held_on");--> statement-breakpoint
CREATE INDEX "integration_note_session_idx" ON "integration_note" USING btree ("clinic_id","dosing_session_id");