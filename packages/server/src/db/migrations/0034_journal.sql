CREATE TABLE "experience_rating" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"amends_id" uuid,
	"answers" jsonb NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "experience_rating_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "experience_rating_id_key" UNIQUE("id"),
	CONSTRAINT "experience_rating_session_version_key" UNIQUE("clinic_id","session_id","version"),
	CONSTRAINT "experience_rating_versions" CHECK (("experience_rating"."version" = 1) = ("experience_rating"."amends_id" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "journal_entry_version" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"amends_id" uuid,
	"text_sealed" text NOT NULL,
	"shared" boolean NOT NULL,
	"prompt_key" text,
	"prompt_text" text,
	"session_id" uuid,
	"written_at" timestamp with time zone NOT NULL,
	CONSTRAINT "journal_entry_version_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "journal_entry_version_id_key" UNIQUE("id"),
	CONSTRAINT "journal_entry_version_entry_version_key" UNIQUE("clinic_id","entry_id","version"),
	CONSTRAINT "journal_entry_version_versions" CHECK (("journal_entry_version"."version" = 1 AND "journal_entry_version"."amends_id" IS NULL AND "journal_entry_version"."entry_id" = "journal_entry_version"."id")
        OR ("journal_entry_version"."version" > 1 AND "journal_entry_version"."amends_id" IS NOT NULL AND "journal_entry_version"."entry_id" <> "journal_entry_version"."id")),
	CONSTRAINT "journal_entry_version_prompt" CHECK (("journal_entry_version"."prompt_key" IS NULL) = ("journal_entry_version"."prompt_text" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "experience_rating" ADD CONSTRAINT "experience_rating_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experience_rating" ADD CONSTRAINT "experience_rating_clinic_id_session_id_dosing_session_clinic_id_id_fk" FOREIGN KEY ("clinic_id","session_id") REFERENCES "public"."dosing_session"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experience_rating" ADD CONSTRAINT "experience_rating_clinic_id_amends_id_experience_rating_clinic_id_id_fk" FOREIGN KEY ("clinic_id","amends_id") REFERENCES "public"."experience_rating"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_entry_version" ADD CONSTRAINT "journal_entry_version_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_entry_version" ADD CONSTRAINT "journal_entry_version_clinic_id_amends_id_journal_entry_version_clinic_id_id_fk" FOREIGN KEY ("clinic_id","amends_id") REFERENCES "public"."journal_entry_version"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_entry_version" ADD CONSTRAINT "journal_entry_version_clinic_id_entry_id_journal_entry_version_clinic_id_id_fk" FOREIGN KEY ("clinic_id","entry_id") REFERENCES "public"."journal_entry_version"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "journal_entry_version" ADD CONSTRAINT "journal_entry_version_clinic_id_session_id_dosing_session_clinic_id_id_fk" FOREIGN KEY ("clinic_id","session_id") REFERENCES "public"."dosing_session"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "experience_rating_amends_once_key" ON "experience_rating" USING btree ("clinic_id","amends_id") WHERE amends_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "experience_rating_patient_idx" ON "experience_rating" USING btree ("clinic_id","patient_id","submitted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "journal_entry_version_amends_once_key" ON "journal_entry_version" USING btree ("clinic_id","amends_id") WHERE amends_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "journal_entry_version_patient_idx" ON "journal_entry_version" USING btree ("clinic_id","patient_id","written_at");