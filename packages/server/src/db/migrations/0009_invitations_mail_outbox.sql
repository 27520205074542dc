CREATE TABLE "invitation" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"email" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_user_id" uuid,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"revoked_reason" text,
	"replaces_id" uuid,
	"mail_id" uuid,
	CONSTRAINT "invitation_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "invitation_id_key" UNIQUE("id"),
	CONSTRAINT "invitation_accepted_or_revoked" CHECK ("invitation"."accepted_at" is null or "invitation"."revoked_at" is null),
	CONSTRAINT "invitation_accepted_by_account" CHECK (("invitation"."accepted_at" is null) = ("invitation"."accepted_user_id" is null))
);
--> statement-breakpoint
CREATE TABLE "mail_outbox" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"to_address" text NOT NULL,
	"subject" text NOT NULL,
	"text_body" text,
	"html_body" text,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"claimed_until" timestamp with time zone,
	"last_error" text,
	"message_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"body_removed_at" timestamp with time zone,
	CONSTRAINT "mail_outbox_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "mail_outbox_id_key" UNIQUE("id"),
	CONSTRAINT "mail_outbox_status_check" CHECK ("mail_outbox"."status" in ('queued', 'sent', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "preparation_note" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"content" jsonb NOT NULL,
	"latest_version" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" uuid NOT NULL,
	CONSTRAINT "preparation_note_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "preparation_note_id_key" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "preparation_note_version" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"note_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"content" jsonb NOT NULL,
	"amendment_reason" text,
	"signed_at" timestamp with time zone NOT NULL,
	"signed_by" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	CONSTRAINT "preparation_note_version_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "preparation_note_version_id_key" UNIQUE("id"),
	CONSTRAINT "preparation_note_version_number_key" UNIQUE("clinic_id","note_id","version"),
	CONSTRAINT "preparation_note_version_request_key" UNIQUE("request_id")
);
--> statement-breakpoint
CREATE TABLE "treatment_plan" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"series_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"amends_id" uuid,
	"amendment_reason" text,
	"status" text DEFAULT 'draft' NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"indication_icd10" text NOT NULL,
	"indication_description" text NOT NULL,
	"indication_condition_id" uuid,
	"protocol_id" text NOT NULL,
	"route" text NOT NULL,
	"product" text NOT NULL,
	"start_date" date NOT NULL,
	"dosing_sessions" integer NOT NULL,
	"course_options" jsonb NOT NULL,
	"dose_unit" text NOT NULL,
	"starting_dose" numeric NOT NULL,
	"maximum_dose" numeric NOT NULL,
	"weight_kg" numeric,
	"starting_dose_calculation" jsonb NOT NULL,
	"maximum_dose_calculation" jsonb NOT NULL,
	"planned_course" jsonb NOT NULL,
	"goals" jsonb NOT NULL,
	"intentions" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" uuid NOT NULL,
	"signed_at" timestamp with time zone,
	"signed_by" uuid,
	"signature_id" uuid,
	"dose_warnings_acknowledged" boolean DEFAULT false NOT NULL,
	CONSTRAINT "treatment_plan_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "treatment_plan_id_key" UNIQUE("id"),
	CONSTRAINT "treatment_plan_signature_id_key" UNIQUE("signature_id"),
	CONSTRAINT "treatment_plan_series_version_key" UNIQUE("clinic_id","series_id","version")
);
--> statement-breakpoint
CREATE TABLE "treatment_plan_event" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"reason" text,
	"note" text,
	"superseded_by_id" uuid,
	"occurred_at" timestamp with time zone NOT NULL,
	"actor_id" uuid NOT NULL,
	CONSTRAINT "treatment_plan_event_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "treatment_plan_event_id_key" UNIQUE("id"),
	CONSTRAINT "treatment_plan_event_closes_once" UNIQUE("clinic_id","plan_id")
);
--> statement-breakpoint
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_clinic_id_created_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","created_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_clinic_id_accepted_user_id_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","accepted_user_id") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_clinic_id_revoked_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","revoked_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_clinic_id_replaces_id_invitation_clinic_id_id_fk" FOREIGN KEY ("clinic_id","replaces_id") REFERENCES "public"."invitation"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_clinic_id_mail_id_mail_outbox_clinic_id_id_fk" FOREIGN KEY ("clinic_id","mail_id") REFERENCES "public"."mail_outbox"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_clinic_id_clinic_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinic"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "preparation_note" ADD CONSTRAINT "preparation_note_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "preparation_note" ADD CONSTRAINT "preparation_note_clinic_id_created_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","created_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "preparation_note_version" ADD CONSTRAINT "preparation_note_version_clinic_id_note_id_preparation_note_clinic_id_id_fk" FOREIGN KEY ("clinic_id","note_id") REFERENCES "public"."preparation_note"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "preparation_note_version" ADD CONSTRAINT "preparation_note_version_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "preparation_note_version" ADD CONSTRAINT "preparation_note_version_clinic_id_signed_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","signed_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "treatment_plan" ADD CONSTRAINT "treatment_plan_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "treatment_plan" ADD CONSTRAINT "treatment_plan_clinic_id_amends_id_treatment_plan_clinic_id_id_fk" FOREIGN KEY ("clinic_id","amends_id") REFERENCES "public"."treatment_plan"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "treatment_plan" ADD CONSTRAINT "treatment_plan_clinic_id_indication_condition_id_patient_condition_clinic_id_id_fk" FOREIGN KEY ("clinic_id","indication_condition_id") REFERENCES "public"."patient_condition"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "treatment_plan" ADD CONSTRAINT "treatment_plan_clinic_id_created_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","created_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "treatment_plan" ADD CONSTRAINT "treatment_plan_clinic_id_signed_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","signed_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "treatment_plan_event" ADD CONSTRAINT "treatment_plan_event_clinic_id_plan_id_treatment_plan_clinic_id_id_fk" FOREIGN KEY ("clinic_id","plan_id") REFERENCES "public"."treatment_plan"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "treatment_plan_event" ADD CONSTRAINT "treatment_plan_event_clinic_id_superseded_by_id_treatment_plan_clinic_id_id_fk" FOREIGN KEY ("clinic_id","superseded_by_id") REFERENCES "public"."treatment_plan"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "treatment_plan_event" ADD CONSTRAINT "treatment_plan_event_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "treatment_plan_event" ADD CONSTRAINT "treatment_plan_event_clinic_id_actor_id_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","actor_id") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invitation_token_hash_key" ON "invitation" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "invitation_patient_idx" ON "invitation" USING btree ("clinic_id","patient_id","created_at");--> statement-breakpoint
CREATE INDEX "mail_outbox_due_idx" ON "mail_outbox" USING btree ("next_attempt_at") WHERE "mail_outbox"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "mail_outbox_clinic_created_idx" ON "mail_outbox" USING btree ("clinic_id","created_at");--> statement-breakpoint
CREATE INDEX "preparation_note_patient_idx" ON "preparation_note" USING btree ("clinic_id","patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "treatment_plan_one_draft_amendment" ON "treatment_plan" USING btree ("clinic_id","series_id") WHERE status = 'draft' AND amends_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "treatment_plan_patient_idx" ON "treatment_plan" USING btree ("clinic_id","patient_id");