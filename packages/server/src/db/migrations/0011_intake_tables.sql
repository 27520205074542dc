CREATE TABLE "intake" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"version" integer DEFAULT 0 NOT NULL,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"resume_section" text,
	"submitted_at" timestamp with time zone,
	"submitted_version" integer,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "intake_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "intake_id_key" UNIQUE("id"),
	CONSTRAINT "intake_clinic_patient_key" UNIQUE("clinic_id","patient_id"),
	CONSTRAINT "intake_status_check" CHECK ("intake"."status" IN ('draft', 'submitted')),
	CONSTRAINT "intake_submitted_check" CHECK (("intake"."status" = 'submitted') = ("intake"."submitted_at" IS NOT NULL AND "intake"."submitted_version" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "intake_version" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"intake_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"kind" text NOT NULL,
	"answers" jsonb NOT NULL,
	"changed_paths" jsonb NOT NULL,
	"saved_by" uuid NOT NULL,
	"saved_by_kind" text NOT NULL,
	"saved_at" timestamp with time zone NOT NULL,
	"reason" text,
	"client_save_id" uuid,
	CONSTRAINT "intake_version_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "intake_version_id_key" UNIQUE("id"),
	CONSTRAINT "intake_version_number_key" UNIQUE("clinic_id","intake_id","version"),
	CONSTRAINT "intake_version_client_save_key" UNIQUE("clinic_id","intake_id","client_save_id"),
	CONSTRAINT "intake_version_kind_check" CHECK ("intake_version"."kind" IN ('draft', 'submission', 'correction')),
	CONSTRAINT "intake_version_saved_by_kind_check" CHECK ("intake_version"."saved_by_kind" IN ('patient', 'staff')),
	CONSTRAINT "intake_version_positive_check" CHECK ("intake_version"."version" > 0),
	CONSTRAINT "intake_version_correction_reason_check" CHECK ("intake_version"."kind" <> 'correction' OR ("intake_version"."reason" IS NOT NULL AND length(btrim("intake_version"."reason")) > 0)),
	CONSTRAINT "intake_version_correction_by_staff_check" CHECK ("intake_version"."kind" <> 'correction' OR "intake_version"."saved_by_kind" = 'staff')
);
--> statement-breakpoint
ALTER TABLE "intake" ADD CONSTRAINT "intake_clinic_id_clinic_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinic"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake" ADD CONSTRAINT "intake_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_version" ADD CONSTRAINT "intake_version_clinic_id_intake_id_intake_clinic_id_id_fk" FOREIGN KEY ("clinic_id","intake_id") REFERENCES "public"."intake"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_version" ADD CONSTRAINT "intake_version_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intake_version" ADD CONSTRAINT "intake_version_clinic_id_saved_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","saved_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;