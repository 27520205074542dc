CREATE TABLE "research_export" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"instruments" text[] NOT NULL,
	"from_date" date NOT NULL,
	"to_date" date NOT NULL,
	"formats" text[] NOT NULL,
	"job_id" uuid NOT NULL,
	"completed_at" timestamp with time zone,
	"patient_count" integer,
	"row_counts" jsonb,
	"files_deleted_at" timestamp with time zone,
	"files_deleted_by" uuid,
	CONSTRAINT "research_export_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "research_export_id_key" UNIQUE("id"),
	CONSTRAINT "research_export_dates" CHECK ("research_export"."from_date" <= "research_export"."to_date"),
	CONSTRAINT "research_export_deleted" CHECK (("research_export"."files_deleted_at" IS NULL) = ("research_export"."files_deleted_by" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "research_export_file" (
	"clinic_id" uuid NOT NULL,
	"export_id" uuid NOT NULL,
	"name" text NOT NULL,
	"content_type" text NOT NULL,
	"content" text NOT NULL,
	"byte_size" integer NOT NULL,
	"sha256" text NOT NULL,
	"row_count" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "research_export_file_clinic_id_export_id_name_pk" PRIMARY KEY("clinic_id","export_id","name")
);
--> statement-breakpoint
CREATE TABLE "research_export_subject" (
	"clinic_id" uuid NOT NULL,
	"export_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"research_id" text NOT NULL,
	"shift_days" integer NOT NULL,
	CONSTRAINT "research_export_subject_clinic_id_export_id_patient_id_pk" PRIMARY KEY("clinic_id","export_id","patient_id"),
	CONSTRAINT "research_export_subject_research_id_key" UNIQUE("clinic_id","export_id","research_id"),
	CONSTRAINT "research_export_subject_shift" CHECK ("research_export_subject"."shift_days" <> 0)
);
--> statement-breakpoint
ALTER TABLE "research_export" ADD CONSTRAINT "research_export_clinic_id_requested_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","requested_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_export" ADD CONSTRAINT "research_export_clinic_id_files_deleted_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","files_deleted_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_export_file" ADD CONSTRAINT "research_export_file_clinic_id_export_id_research_export_clinic_id_id_fk" FOREIGN KEY ("clinic_id","export_id") REFERENCES "public"."research_export"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_export_subject" ADD CONSTRAINT "research_export_subject_clinic_id_export_id_research_export_clinic_id_id_fk" FOREIGN KEY ("clinic_id","export_id") REFERENCES "public"."research_export"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "research_export_subject" ADD CONSTRAINT "research_export_subject_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "research_export_clinic_idx" ON "research_export" USING btree ("clinic_id","requested_at");