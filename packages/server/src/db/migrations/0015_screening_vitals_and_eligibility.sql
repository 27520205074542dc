CREATE TABLE "eligibility_decision" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"route" text NOT NULL,
	"product" text NOT NULL,
	"decision" text NOT NULL,
	"conditions" text,
	"rationale" text,
	"engine_decision" text NOT NULL,
	"assessment" jsonb NOT NULL,
	"profile" jsonb NOT NULL,
	"sources" jsonb NOT NULL,
	"fingerprint" text NOT NULL,
	"amends_id" uuid,
	"amendment_reason" text,
	"signed_by" uuid NOT NULL,
	"signer_name" text NOT NULL,
	"signer_roles" jsonb NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"signature_meaning" text NOT NULL,
	CONSTRAINT "eligibility_decision_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "eligibility_decision_id_key" UNIQUE("id"),
	CONSTRAINT "eligibility_decision_amends_once_key" UNIQUE("clinic_id","amends_id"),
	CONSTRAINT "eligibility_decision_decision_check" CHECK ("eligibility_decision"."decision" IN ('approve', 'approve-with-conditions', 'defer', 'decline')),
	CONSTRAINT "eligibility_decision_engine_check" CHECK ("eligibility_decision"."engine_decision" IN ('eligible', 'review', 'excluded')),
	CONSTRAINT "eligibility_decision_conditions_check" CHECK ("eligibility_decision"."decision" <> 'approve-with-conditions' OR "eligibility_decision"."conditions" IS NOT NULL),
	CONSTRAINT "eligibility_decision_amendment_reason" CHECK (("eligibility_decision"."amends_id" IS NULL) = ("eligibility_decision"."amendment_reason" IS NULL)),
	CONSTRAINT "eligibility_decision_not_self" CHECK ("eligibility_decision"."amends_id" IS NULL OR "eligibility_decision"."amends_id" <> "eligibility_decision"."id"),
	CONSTRAINT "eligibility_decision_fingerprint" CHECK ("eligibility_decision"."fingerprint" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "vital_signs" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"context" text NOT NULL,
	"session_id" uuid,
	"systolic" integer,
	"diastolic" integer,
	"heart_rate" integer,
	"spo2" integer,
	"respiratory_rate" integer,
	"weight_kg" numeric(5, 1),
	"height_cm" numeric(4, 1),
	"measured_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL,
	"supersedes_id" uuid,
	"entered_in_error" boolean DEFAULT false NOT NULL,
	"correction_reason" text,
	"note" text,
	CONSTRAINT "vital_signs_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "vital_signs_id_key" UNIQUE("id"),
	CONSTRAINT "vital_signs_supersedes_once_key" UNIQUE("clinic_id","supersedes_id"),
	CONSTRAINT "vital_signs_context_check" CHECK ("vital_signs"."context" IN ('screening')),
	CONSTRAINT "vital_signs_not_self" CHECK ("vital_signs"."supersedes_id" IS NULL OR "vital_signs"."supersedes_id" <> "vital_signs"."id"),
	CONSTRAINT "vital_signs_correction_reason" CHECK (("vital_signs"."supersedes_id" IS NULL) = ("vital_signs"."correction_reason" IS NULL)),
	CONSTRAINT "vital_signs_entered_in_error_shape" CHECK (NOT "vital_signs"."entered_in_error" OR ("vital_signs"."supersedes_id" IS NOT NULL AND "vital_signs"."systolic" IS NULL AND "vital_signs"."diastolic" IS NULL AND "vital_signs"."heart_rate" IS NULL AND "vital_signs"."spo2" IS NULL AND "vital_signs"."respiratory_rate" IS NULL AND "vital_signs"."weight_kg" IS NULL AND "vital_signs"."height_cm" IS NULL)),
	CONSTRAINT "vital_signs_has_a_value" CHECK ("vital_signs"."entered_in_error" OR COALESCE("vital_signs"."systolic", "vital_signs"."heart_rate", "vital_signs"."spo2", "vital_signs"."respiratory_rate") IS NOT NULL OR COALESCE("vital_signs"."weight_kg", "vital_signs"."height_cm") IS NOT NULL),
	CONSTRAINT "vital_signs_bp_pair" CHECK (("vital_signs"."systolic" IS NULL) = ("vital_signs"."diastolic" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "eligibility_decision" ADD CONSTRAINT "eligibility_decision_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eligibility_decision" ADD CONSTRAINT "eligibility_decision_clinic_id_signed_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","signed_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eligibility_decision" ADD CONSTRAINT "eligibility_decision_amends_fk" FOREIGN KEY ("clinic_id","amends_id") REFERENCES "public"."eligibility_decision"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vital_signs" ADD CONSTRAINT "vital_signs_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vital_signs" ADD CONSTRAINT "vital_signs_clinic_id_recorded_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","recorded_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vital_signs" ADD CONSTRAINT "vital_signs_supersedes_fk" FOREIGN KEY ("clinic_id","supersedes_id") REFERENCES "public"."vital_signs"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "eligibility_decision_patient_idx" ON "eligibility_decision" USING btree ("clinic_id","patient_id","signed_at");--> statement-breakpoint
CREATE INDEX "vital_signs_patient_idx" ON "vital_signs" USING btree ("clinic_id","patient_id","measured_at");