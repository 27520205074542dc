CREATE TABLE "audit_chain_head" (
	"clinic_id" uuid PRIMARY KEY NOT NULL,
	"last_sequence" bigint NOT NULL,
	"last_hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_event" (
	"clinic_id" uuid NOT NULL,
	"sequence" bigint NOT NULL,
	"id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"actor_role" text,
	"action" text NOT NULL,
	"resource_type" text NOT NULL,
	"resource_id" text,
	"patient_id" uuid,
	"outcome" text NOT NULL,
	"break_glass" boolean DEFAULT false NOT NULL,
	"request_id" text,
	"ip" text,
	"user_agent" text,
	"detail" jsonb,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_event_clinic_id_sequence_pk" PRIMARY KEY("clinic_id","sequence")
);
--> statement-breakpoint
CREATE TABLE "auth_session" (
	"id" uuid PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"clinic_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"csrf_token" text NOT NULL,
	"mfa_pending" boolean NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"absolute_expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text
);
--> statement-breakpoint
CREATE TABLE "break_glass_grant" (
	"id" uuid PRIMARY KEY NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "care_team_member" (
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"assigned_at" timestamp with time zone NOT NULL,
	CONSTRAINT "care_team_member_clinic_id_patient_id_user_id_pk" PRIMARY KEY("clinic_id","patient_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "login_attempt" (
	"ip" text NOT NULL,
	"attempted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mfa_recovery_code" (
	"user_id" uuid NOT NULL,
	"code_hash" text NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "mfa_recovery_code_user_id_code_hash_pk" PRIMARY KEY("user_id","code_hash")
);
--> statement-breakpoint
CREATE TABLE "role_assignment" (
	"clinic_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"granted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "role_assignment_clinic_id_user_id_role_pk" PRIMARY KEY("clinic_id","user_id","role")
);
--> statement-breakpoint
CREATE TABLE "user_account" (
	"id" uuid PRIMARY KEY NOT NULL,
	"clinic_id" uuid NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"kind" text NOT NULL,
	"patient_id" uuid,
	"password_hash" text NOT NULL,
	"password_changed_at" timestamp with time zone NOT NULL,
	"mfa_secret" text,
	"mfa_enrolled_at" timestamp with time zone,
	"mfa_last_step" integer,
	"failed_login_count" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "user_account_clinic_id_key" UNIQUE("clinic_id","id")
);
--> statement-breakpoint
CREATE TABLE "mrn_counter" (
	"clinic_id" uuid PRIMARY KEY NOT NULL,
	"last_value" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "patient" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"mrn" text NOT NULL,
	"given_name" text NOT NULL,
	"family_name" text NOT NULL,
	"preferred_name" text,
	"date_of_birth" date NOT NULL,
	"sex_at_birth" text NOT NULL,
	"gender_identity" text,
	"pronouns" text,
	"email" text,
	"phone" text,
	"address" jsonb,
	"emergency_contact" jsonb,
	"search_name" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "patient_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "patient_id_key" UNIQUE("id"),
	CONSTRAINT "patient_clinic_mrn_key" UNIQUE("clinic_id","mrn")
);
--> statement-breakpoint
CREATE TABLE "patient_allergy" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"note" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid,
	"status_changed_at" timestamp with time zone,
	"status_changed_by" uuid,
	"substance" text NOT NULL,
	"reaction" text,
	"severity" text,
	"status" text DEFAULT 'active' NOT NULL,
	CONSTRAINT "patient_allergy_clinic_id_id_pk" PRIMARY KEY("clinic_id","id")
);
--> statement-breakpoint
CREATE TABLE "patient_condition" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"note" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid,
	"status_changed_at" timestamp with time zone,
	"status_changed_by" uuid,
	"icd10" text NOT NULL,
	"description" text NOT NULL,
	"onset_date" date,
	"status" text DEFAULT 'active' NOT NULL,
	CONSTRAINT "patient_condition_clinic_id_id_pk" PRIMARY KEY("clinic_id","id")
);
--> statement-breakpoint
CREATE TABLE "patient_medication" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"note" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid,
	"status_changed_at" timestamp with time zone,
	"status_changed_by" uuid,
	"name" text NOT NULL,
	"rxnorm" text,
	"dose" text,
	"route" text,
	"frequency" text,
	"start_date" date,
	"status" text DEFAULT 'active' NOT NULL,
	CONSTRAINT "patient_medication_clinic_id_id_pk" PRIMARY KEY("clinic_id","id")
);
--> statement-breakpoint
CREATE TABLE "patient_version" (
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"demographics" jsonb NOT NULL,
	"superseded_by" uuid,
	"superseded_at" timestamp with time zone NOT NULL,
	"changed_fields" jsonb NOT NULL,
	CONSTRAINT "patient_version_clinic_id_patient_id_version_pk" PRIMARY KEY("clinic_id","patient_id","version")
);
--> statement-breakpoint
ALTER TABLE "audit_chain_head" ADD CONSTRAINT "audit_chain_head_clinic_id_clinic_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinic"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_clinic_id_clinic_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinic"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_session" ADD CONSTRAINT "auth_session_clinic_id_user_id_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","user_id") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "break_glass_grant" ADD CONSTRAINT "break_glass_grant_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "break_glass_grant" ADD CONSTRAINT "break_glass_grant_clinic_id_user_id_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","user_id") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_team_member" ADD CONSTRAINT "care_team_member_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_team_member" ADD CONSTRAINT "care_team_member_clinic_id_user_id_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","user_id") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mfa_recovery_code" ADD CONSTRAINT "mfa_recovery_code_user_id_user_account_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user_account"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignment" ADD CONSTRAINT "role_assignment_clinic_id_user_id_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","user_id") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_account" ADD CONSTRAINT "user_account_clinic_id_clinic_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinic"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_account" ADD CONSTRAINT "user_account_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mrn_counter" ADD CONSTRAINT "mrn_counter_clinic_id_clinic_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinic"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient" ADD CONSTRAINT "patient_clinic_id_clinic_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinic"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_allergy" ADD CONSTRAINT "patient_allergy_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_condition" ADD CONSTRAINT "patient_condition_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_medication" ADD CONSTRAINT "patient_medication_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "patient_version" ADD CONSTRAINT "patient_version_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_event_patient_idx" ON "audit_event" USING btree ("clinic_id","patient_id","sequence");--> statement-breakpoint
CREATE INDEX "audit_event_actor_idx" ON "audit_event" USING btree ("clinic_id","actor_id","sequence");--> statement-breakpoint
CREATE INDEX "audit_event_time_idx" ON "audit_event" USING btree ("clinic_id","occurred_at");--> statement-breakpoint
CREATE UNIQUE INDEX "auth_session_token_key" ON "auth_session" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "auth_session_user_idx" ON "auth_session" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "break_glass_grant_lookup_idx" ON "break_glass_grant" USING btree ("clinic_id","user_id","patient_id","expires_at");--> statement-breakpoint
CREATE INDEX "care_team_member_user_idx" ON "care_team_member" USING btree ("clinic_id","user_id");--> statement-breakpoint
CREATE INDEX "login_attempt_ip_idx" ON "login_attempt" USING btree ("ip","attempted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "user_account_email_key" ON "user_account" USING btree ("email");--> statement-breakpoint
CREATE INDEX "patient_clinic_search_idx" ON "patient" USING btree ("clinic_id","search_name");--> statement-breakpoint
CREATE INDEX "patient_clinic_dob_idx" ON "patient" USING btree ("clinic_id","date_of_birth");--> statement-breakpoint
CREATE INDEX "patient_allergy_patient_idx" ON "patient_allergy" USING btree ("clinic_id","patient_id");--> statement-breakpoint
CREATE INDEX "patient_condition_patient_idx" ON "patient_condition" USING btree ("clinic_id","patient_id");--> statement-breakpoint
CREATE INDEX "patient_medication_patient_idx" ON "patient_medication" USING btree ("clinic_id","patient_id");