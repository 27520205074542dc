CREATE TABLE "alert" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"severity" text NOT NULL,
	"summary" text NOT NULL,
	"source_type" text NOT NULL,
	"source_id" uuid NOT NULL,
	"owner_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"acknowledgement_action" text,
	CONSTRAINT "alert_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "alert_id_key" UNIQUE("id"),
	CONSTRAINT "alert_source_kind_key" UNIQUE("clinic_id","source_type","source_id","kind")
);
--> statement-breakpoint
CREATE TABLE "measure_assignment" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"instrument" text NOT NULL,
	"reason" text NOT NULL,
	"respondent" text NOT NULL,
	"due_date" date NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"assigned_at" timestamp with time zone NOT NULL,
	"assigned_by" uuid NOT NULL,
	"completed_at" timestamp with time zone,
	"response_id" uuid,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" uuid,
	"cancel_reason" text,
	CONSTRAINT "measure_assignment_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "measure_assignment_id_key" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "observation" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"response_id" uuid NOT NULL,
	"instrument" text NOT NULL,
	"key" text NOT NULL,
	"code_system" text,
	"code" text,
	"display" text NOT NULL,
	"value" integer,
	"band" text,
	"effective_at" timestamp with time zone NOT NULL,
	CONSTRAINT "observation_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "observation_id_key" UNIQUE("id"),
	CONSTRAINT "observation_response_key_key" UNIQUE("clinic_id","response_id","key")
);
--> statement-breakpoint
CREATE TABLE "questionnaire_response" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"assignment_id" uuid,
	"instrument" text NOT NULL,
	"answers" jsonb NOT NULL,
	"score" jsonb NOT NULL,
	"score_context" jsonb NOT NULL,
	"source" text NOT NULL,
	"entered_by" uuid NOT NULL,
	"authored_at" timestamp with time zone NOT NULL,
	"supersedes_id" uuid,
	CONSTRAINT "questionnaire_response_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "questionnaire_response_id_key" UNIQUE("id")
);
--> statement-breakpoint
ALTER TABLE "alert" ADD CONSTRAINT "alert_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert" ADD CONSTRAINT "alert_clinic_id_owner_id_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","owner_id") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert" ADD CONSTRAINT "alert_clinic_id_acknowledged_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","acknowledged_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_assignment" ADD CONSTRAINT "measure_assignment_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_assignment" ADD CONSTRAINT "measure_assignment_clinic_id_assigned_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","assigned_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observation" ADD CONSTRAINT "observation_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observation" ADD CONSTRAINT "observation_clinic_id_response_id_questionnaire_response_clinic_id_id_fk" FOREIGN KEY ("clinic_id","response_id") REFERENCES "public"."questionnaire_response"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "questionnaire_response" ADD CONSTRAINT "questionnaire_response_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "questionnaire_response" ADD CONSTRAINT "questionnaire_response_clinic_id_assignment_id_measure_assignment_clinic_id_id_fk" FOREIGN KEY ("clinic_id","assignment_id") REFERENCES "public"."measure_assignment"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "questionnaire_response" ADD CONSTRAINT "questionnaire_response_clinic_id_entered_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","entered_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "questionnaire_response" ADD CONSTRAINT "questionnaire_response_clinic_id_supersedes_id_questionnaire_response_clinic_id_id_fk" FOREIGN KEY ("clinic_id","supersedes_id") REFERENCES "public"."questionnaire_response"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_clinic_status_idx" ON "alert" USING btree ("clinic_id","status","raised_at");--> statement-breakpoint
CREATE INDEX "alert_patient_idx" ON "alert" USING btree ("clinic_id","patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "measure_assignment_one_pending_key" ON "measure_assignment" USING btree ("clinic_id","patient_id","instrument","reason") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "measure_assignment_patient_idx" ON "measure_assignment" USING btree ("clinic_id","patient_id","status");--> statement-breakpoint
CREATE INDEX "observation_patient_idx" ON "observation" USING btree ("clinic_id","patient_id","effective_at");--> statement-breakpoint
CREATE UNIQUE INDEX "questionnaire_response_supersedes_key" ON "questionnaire_response" USING btree ("clinic_id","supersedes_id");--> statement-breakpoint
CREATE INDEX "questionnaire_response_patient_idx" ON "questionnaire_response" USING btree ("clinic_id","patient_id","authored_at");