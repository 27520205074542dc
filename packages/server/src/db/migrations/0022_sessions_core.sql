CREATE TABLE "dose_administration" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"sequence" integer NOT NULL,
	"product" text NOT NULL,
	"route" text NOT NULL,
	"site" text,
	"lot_id" uuid NOT NULL,
	"lot_number" text NOT NULL,
	"lot_expiry" text NOT NULL,
	"concentration" numeric NOT NULL,
	"concentration_unit" text NOT NULL,
	"dose_mg" numeric NOT NULL,
	"volume_ml" numeric,
	"devices" smallint,
	"quantity" numeric NOT NULL,
	"calculation" jsonb NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"administered_by" uuid NOT NULL,
	"second_signer_id" uuid,
	"ledger_entry_id" uuid NOT NULL,
	"note" text,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "dose_administration_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "dose_administration_id_key" UNIQUE("id"),
	CONSTRAINT "dose_administration_sequence_key" UNIQUE("clinic_id","session_id","sequence"),
	CONSTRAINT "dose_administration_positive" CHECK ("dose_administration"."dose_mg" > 0 AND "dose_administration"."quantity" > 0),
	CONSTRAINT "dose_administration_second_signer" CHECK ("dose_administration"."second_signer_id" IS NULL OR "dose_administration"."second_signer_id" <> "dose_administration"."administered_by"),
	CONSTRAINT "dose_administration_times" CHECK ("dose_administration"."ended_at" IS NULL OR "dose_administration"."ended_at" >= "dose_administration"."started_at")
);
--> statement-breakpoint
CREATE TABLE "dosing_session" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"appointment_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"protocol_id" text NOT NULL,
	"route" text NOT NULL,
	"product" text NOT NULL,
	"state" text NOT NULL,
	"checked_in_at" timestamp with time zone NOT NULL,
	"checked_in_by" uuid NOT NULL,
	"cleared_at" timestamp with time zone,
	"dosing_started_at" timestamp with time zone,
	"monitoring_started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"abort_reason" text,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "dosing_session_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "dosing_session_id_key" UNIQUE("id"),
	CONSTRAINT "dosing_session_appointment_key" UNIQUE("clinic_id","appointment_id"),
	CONSTRAINT "dosing_session_state_check" CHECK ("dosing_session"."state" IN ('scheduled', 'checked-in', 'cleared-to-dose', 'dosing', 'monitoring', 'discharged', 'aborted')),
	CONSTRAINT "dosing_session_abort_reason" CHECK (("dosing_session"."state" = 'aborted') = ("dosing_session"."abort_reason" IS NOT NULL)),
	CONSTRAINT "dosing_session_ended" CHECK (("dosing_session"."state" IN ('discharged', 'aborted')) = ("dosing_session"."ended_at" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "dosing_session_event" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"from_state" text NOT NULL,
	"to_state" text NOT NULL,
	"reason" text,
	"detail" jsonb NOT NULL,
	"actor_id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	CONSTRAINT "dosing_session_event_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "dosing_session_event_id_key" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "pre_dose_checklist" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"answers" jsonb NOT NULL,
	"gate_input" jsonb NOT NULL,
	"sources" jsonb NOT NULL,
	"blockers" jsonb NOT NULL,
	"cautions" jsonb NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "pre_dose_checklist_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "pre_dose_checklist_id_key" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "pre_dose_override" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"checklist_id" uuid NOT NULL,
	"cautions" jsonb NOT NULL,
	"rationale" text NOT NULL,
	"prescriber_id" uuid NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "pre_dose_override_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "pre_dose_override_id_key" UNIQUE("id"),
	CONSTRAINT "pre_dose_override_checklist_key" UNIQUE("clinic_id","checklist_id"),
	CONSTRAINT "pre_dose_override_rationale" CHECK (length(trim("pre_dose_override"."rationale")) > 0)
);
--> statement-breakpoint
CREATE TABLE "session_discharge" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"readiness_input" jsonb NOT NULL,
	"ready" boolean NOT NULL,
	"unmet" jsonb NOT NULL,
	"override_rationale" text,
	"overridden_by" uuid,
	"escort_name" text,
	"instructions_given" boolean NOT NULL,
	"note" text,
	"discharged_by" uuid NOT NULL,
	"discharged_at" timestamp with time zone NOT NULL,
	CONSTRAINT "session_discharge_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "session_discharge_id_key" UNIQUE("id"),
	CONSTRAINT "session_discharge_session_key" UNIQUE("clinic_id","session_id"),
	CONSTRAINT "session_discharge_instructions" CHECK ("session_discharge"."instructions_given"),
	CONSTRAINT "session_discharge_override" CHECK ("session_discharge"."ready" OR ("session_discharge"."override_rationale" IS NOT NULL AND length(trim("session_discharge"."override_rationale")) > 0 AND "session_discharge"."overridden_by" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "session_observation" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"moaas" smallint,
	"cadss6_answers" jsonb,
	"cadss6_total" smallint,
	"side_effects" jsonb,
	"note" text,
	"observed_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "session_observation_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "session_observation_id_key" UNIQUE("id"),
	CONSTRAINT "session_observation_kind_check" CHECK ("session_observation"."kind" IN ('moaas', 'cadss6', 'side-effects')),
	CONSTRAINT "session_observation_shape" CHECK (("session_observation"."kind" = 'moaas' AND "session_observation"."moaas" BETWEEN 0 AND 5 AND "session_observation"."cadss6_total" IS NULL AND "session_observation"."side_effects" IS NULL)
        OR ("session_observation"."kind" = 'cadss6' AND "session_observation"."moaas" IS NULL AND "session_observation"."cadss6_total" BETWEEN 0 AND 24 AND "session_observation"."cadss6_answers" IS NOT NULL AND "session_observation"."side_effects" IS NULL)
        OR ("session_observation"."kind" = 'side-effects' AND "session_observation"."moaas" IS NULL AND "session_observation"."cadss6_total" IS NULL AND "session_observation"."side_effects" IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "vital_signs" DROP CONSTRAINT "vital_signs_context_check";--> statement-breakpoint
ALTER TABLE "dose_administration" ADD CONSTRAINT "dose_administration_clinic_id_session_id_dosing_session_clinic_id_id_fk" FOREIGN KEY ("clinic_id","session_id") REFERENCES "public"."dosing_session"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dose_administration" ADD CONSTRAINT "dose_administration_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dose_administration" ADD CONSTRAINT "dose_administration_clinic_id_administered_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","administered_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dose_administration" ADD CONSTRAINT "dose_administration_clinic_id_second_signer_id_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","second_signer_id") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dosing_session" ADD CONSTRAINT "dosing_session_clinic_id_appointment_id_appointment_clinic_id_id_fk" FOREIGN KEY ("clinic_id","appointment_id") REFERENCES "public"."appointment"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dosing_session" ADD CONSTRAINT "dosing_session_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dosing_session" ADD CONSTRAINT "dosing_session_clinic_id_plan_id_treatment_plan_clinic_id_id_fk" FOREIGN KEY ("clinic_id","plan_id") REFERENCES "public"."treatment_plan"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dosing_session" ADD CONSTRAINT "dosing_session_clinic_id_checked_in_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","checked_in_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dosing_session_event" ADD CONSTRAINT "dosing_session_event_clinic_id_session_id_dosing_session_clinic_id_id_fk" FOREIGN KEY ("clinic_id","session_id") REFERENCES "public"."dosing_session"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dosing_session_event" ADD CONSTRAINT "dosing_session_event_clinic_id_actor_id_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","actor_id") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pre_dose_checklist" ADD CONSTRAINT "pre_dose_checklist_clinic_id_session_id_dosing_session_clinic_id_id_fk" FOREIGN KEY ("clinic_id","session_id") REFERENCES "public"."dosing_session"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pre_dose_checklist" ADD CONSTRAINT "pre_dose_checklist_clinic_id_recorded_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","recorded_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pre_dose_override" ADD CONSTRAINT "pre_dose_override_clinic_id_session_id_dosing_session_clinic_id_id_fk" FOREIGN KEY ("clinic_id","session_id") REFERENCES "public"."dosing_session"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pre_dose_override" ADD CONSTRAINT "pre_dose_override_clinic_id_checklist_id_pre_dose_checklist_clinic_id_id_fk" FOREIGN KEY ("clinic_id","checklist_id") REFERENCES "public"."pre_dose_checklist"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pre_dose_override" ADD CONSTRAINT "pre_dose_override_clinic_id_prescriber_id_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","prescriber_id") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_discharge" ADD CONSTRAINT "session_discharge_clinic_id_session_id_dosing_session_clinic_id_id_fk" FOREIGN KEY ("clinic_id","session_id") REFERENCES "public"."dosing_session"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_discharge" ADD CONSTRAINT "session_discharge_clinic_id_discharged_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","discharged_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_discharge" ADD CONSTRAINT "session_discharge_clinic_id_overridden_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","overridden_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_observation" ADD CONSTRAINT "session_observation_clinic_id_session_id_dosing_session_clinic_id_id_fk" FOREIGN KEY ("clinic_id","session_id") REFERENCES "public"."dosing_session"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_observation" ADD CONSTRAINT "session_observation_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_observation" ADD CONSTRAINT "session_observation_clinic_id_recorded_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","recorded_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dose_administration_session_idx" ON "dose_administration" USING btree ("clinic_id","session_id","started_at");--> statement-breakpoint
CREATE INDEX "dosing_session_patient_idx" ON "dosing_session" USING btree ("clinic_id","patient_id","checked_in_at");--> statement-breakpoint
CREATE INDEX "dosing_session_state_idx" ON "dosing_session" USING btree ("clinic_id","state");--> statement-breakpoint
CREATE INDEX "dosing_session_event_session_idx" ON "dosing_session_event" USING btree ("clinic_id","session_id","occurred_at");--> statement-breakpoint
CREATE INDEX "pre_dose_checklist_session_idx" ON "pre_dose_checklist" USING btree ("clinic_id","session_id","recorded_at");--> statement-breakpoint
CREATE INDEX "session_observation_session_idx" ON "session_observation" USING btree ("clinic_id","session_id","observed_at");--> statement-breakpoint
ALTER TABLE "vital_signs" ADD CONSTRAINT "vital_signs_session_fk" FOREIGN KEY ("clinic_id","session_id") REFERENCES "public"."dosing_session"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "vital_signs_session_idx" ON "vital_signs" USING btree ("clinic_id","session_id","measured_at");--> statement-breakpoint
ALTER TABLE "vital_signs" ADD CONSTRAINT "vital_signs_session_context" CHECK (("vital_signs"."context" = 'session') = ("vital_signs"."session_id" IS NOT NULL));--> statement-breakpoint
ALTER TABLE "vital_signs" ADD CONSTRAINT "vital_signs_context_check" CHECK ("vital_signs"."context" IN ('screening', 'session'));