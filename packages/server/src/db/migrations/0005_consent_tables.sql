CREATE TABLE "consent_countersignature" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"signature_id" uuid NOT NULL,
	"countersigned_by" uuid NOT NULL,
	"countersigner_name" text NOT NULL,
	"countersigned_at" timestamp with time zone NOT NULL,
	CONSTRAINT "consent_countersignature_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "consent_countersignature_id_key" UNIQUE("id"),
	CONSTRAINT "consent_countersignature_signature_key" UNIQUE("clinic_id","signature_id")
);
--> statement-breakpoint
CREATE TABLE "consent_signature" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"template_version_id" uuid NOT NULL,
	"signed_by" uuid NOT NULL,
	"typed_name" text NOT NULL,
	"agreed" boolean NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"ip" text,
	"user_agent" text,
	"rendered_text" text NOT NULL,
	"text_sha256" text NOT NULL,
	CONSTRAINT "consent_signature_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "consent_signature_id_key" UNIQUE("id"),
	CONSTRAINT "consent_signature_agreed" CHECK ("consent_signature"."agreed" = true),
	CONSTRAINT "consent_signature_sha256" CHECK ("consent_signature"."text_sha256" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "consent_template" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"required" boolean NOT NULL,
	"routes" text[] NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid NOT NULL,
	CONSTRAINT "consent_template_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "consent_template_id_key" UNIQUE("id"),
	CONSTRAINT "consent_template_clinic_kind_key" UNIQUE("clinic_id","kind")
);
--> statement-breakpoint
CREATE TABLE "consent_template_version" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"template_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"change_note" text,
	"published_at" timestamp with time zone NOT NULL,
	"published_by" uuid NOT NULL,
	CONSTRAINT "consent_template_version_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "consent_template_version_id_key" UNIQUE("id"),
	CONSTRAINT "consent_template_version_number_key" UNIQUE("clinic_id","template_id","version"),
	CONSTRAINT "consent_template_version_positive" CHECK ("consent_template_version"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "consent_withdrawal" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"signature_id" uuid NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_by_kind" text NOT NULL,
	"withdrawn_at" timestamp with time zone NOT NULL,
	"reason" text,
	CONSTRAINT "consent_withdrawal_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "consent_withdrawal_id_key" UNIQUE("id"),
	CONSTRAINT "consent_withdrawal_signature_key" UNIQUE("clinic_id","signature_id")
);
--> statement-breakpoint
ALTER TABLE "consent_countersignature" ADD CONSTRAINT "consent_countersignature_clinic_id_signature_id_consent_signature_clinic_id_id_fk" FOREIGN KEY ("clinic_id","signature_id") REFERENCES "public"."consent_signature"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_countersignature" ADD CONSTRAINT "consent_countersignature_clinic_id_countersigned_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","countersigned_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_signature" ADD CONSTRAINT "consent_signature_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_signature" ADD CONSTRAINT "consent_signature_clinic_id_template_version_id_consent_template_version_clinic_id_id_fk" FOREIGN KEY ("clinic_id","template_version_id") REFERENCES "public"."consent_template_version"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_signature" ADD CONSTRAINT "consent_signature_clinic_id_signed_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","signed_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_template" ADD CONSTRAINT "consent_template_clinic_id_clinic_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinic"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_template" ADD CONSTRAINT "consent_template_clinic_id_created_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","created_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_template_version" ADD CONSTRAINT "consent_template_version_clinic_id_template_id_consent_template_clinic_id_id_fk" FOREIGN KEY ("clinic_id","template_id") REFERENCES "public"."consent_template"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_template_version" ADD CONSTRAINT "consent_template_version_clinic_id_published_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","published_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_withdrawal" ADD CONSTRAINT "consent_withdrawal_clinic_id_signature_id_consent_signature_clinic_id_id_fk" FOREIGN KEY ("clinic_id","signature_id") REFERENCES "public"."consent_signature"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_withdrawal" ADD CONSTRAINT "consent_withdrawal_clinic_id_recorded_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","recorded_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consent_signature_patient_idx" ON "consent_signature" USING btree ("clinic_id","patient_id","signed_at");