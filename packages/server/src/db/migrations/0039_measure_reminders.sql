CREATE TABLE "measure_reminder" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"assignment_id" uuid NOT NULL,
	"sequence" integer NOT NULL,
	"channel" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"mail_id" uuid,
	"job_id" uuid,
	CONSTRAINT "measure_reminder_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "measure_reminder_once" UNIQUE("clinic_id","assignment_id","sequence","channel"),
	CONSTRAINT "measure_reminder_channel_check" CHECK ("measure_reminder"."channel" in ('email', 'sms')),
	CONSTRAINT "measure_reminder_sequence_check" CHECK ("measure_reminder"."sequence" >= 1)
);
--> statement-breakpoint
ALTER TABLE "measure_reminder" ADD CONSTRAINT "measure_reminder_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_reminder" ADD CONSTRAINT "measure_reminder_clinic_id_assignment_id_measure_assignment_clinic_id_id_fk" FOREIGN KEY ("clinic_id","assignment_id") REFERENCES "public"."measure_assignment"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "measure_reminder_assignment_idx" ON "measure_reminder" USING btree ("clinic_id","assignment_id","sent_at");