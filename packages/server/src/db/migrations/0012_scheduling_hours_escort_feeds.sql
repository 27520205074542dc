CREATE TABLE "calendar_feed" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"fetch_count" integer DEFAULT 0 NOT NULL,
	"last_fetched_at" timestamp with time zone,
	CONSTRAINT "calendar_feed_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "calendar_feed_id_key" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "no_driving_acknowledgement" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"appointment_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"via" text NOT NULL,
	"recorded_by" uuid NOT NULL,
	"statement" text NOT NULL,
	"acknowledged_at" timestamp with time zone NOT NULL,
	CONSTRAINT "no_driving_acknowledgement_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "no_driving_acknowledgement_id_key" UNIQUE("id")
);
--> statement-breakpoint
CREATE TABLE "ride_home_confirmation" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"appointment_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"status" text NOT NULL,
	"escort_name" text,
	"escort_phone" text,
	"escort_relationship" text,
	"supersedes_id" uuid,
	"confirmed_by" uuid NOT NULL,
	"confirmed_at" timestamp with time zone NOT NULL,
	"client_id" uuid NOT NULL,
	CONSTRAINT "ride_home_confirmation_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "ride_home_confirmation_id_key" UNIQUE("id"),
	CONSTRAINT "ride_home_confirmation_client_key" UNIQUE("clinic_id","client_id"),
	CONSTRAINT "ride_home_confirmation_escort" CHECK ("ride_home_confirmation"."status" = 'withdrawn' OR ("ride_home_confirmation"."escort_name" IS NOT NULL AND "ride_home_confirmation"."escort_phone" IS NOT NULL AND "ride_home_confirmation"."escort_relationship" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "scheduling_settings" (
	"clinic_id" uuid PRIMARY KEY NOT NULL,
	"values" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "staff_working_hours" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"weekday" smallint NOT NULL,
	"starts_at" text NOT NULL,
	"ends_at" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	CONSTRAINT "staff_working_hours_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "staff_working_hours_id_key" UNIQUE("id"),
	CONSTRAINT "staff_working_hours_weekday" CHECK ("staff_working_hours"."weekday" BETWEEN 1 AND 7),
	CONSTRAINT "staff_working_hours_format" CHECK ("staff_working_hours"."starts_at" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' AND "staff_working_hours"."ends_at" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$'),
	CONSTRAINT "staff_working_hours_order" CHECK ("staff_working_hours"."ends_at" > "staff_working_hours"."starts_at")
);
--> statement-breakpoint
ALTER TABLE "appointment" ADD COLUMN "plan_id" uuid;--> statement-breakpoint
ALTER TABLE "appointment" ADD COLUMN "protocol_id" text;--> statement-breakpoint
ALTER TABLE "appointment" ADD COLUMN "route" text;--> statement-breakpoint
ALTER TABLE "appointment" ADD COLUMN "product" text;--> statement-breakpoint
ALTER TABLE "calendar_feed" ADD CONSTRAINT "calendar_feed_clinic_id_user_id_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","user_id") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "no_driving_acknowledgement" ADD CONSTRAINT "no_driving_acknowledgement_clinic_id_appointment_id_appointment_clinic_id_id_fk" FOREIGN KEY ("clinic_id","appointment_id") REFERENCES "public"."appointment"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "no_driving_acknowledgement" ADD CONSTRAINT "no_driving_acknowledgement_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "no_driving_acknowledgement" ADD CONSTRAINT "no_driving_acknowledgement_clinic_id_recorded_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","recorded_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ride_home_confirmation" ADD CONSTRAINT "ride_home_confirmation_clinic_id_appointment_id_appointment_clinic_id_id_fk" FOREIGN KEY ("clinic_id","appointment_id") REFERENCES "public"."appointment"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ride_home_confirmation" ADD CONSTRAINT "ride_home_confirmation_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ride_home_confirmation" ADD CONSTRAINT "ride_home_confirmation_clinic_id_confirmed_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","confirmed_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scheduling_settings" ADD CONSTRAINT "scheduling_settings_clinic_id_clinic_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinic"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_working_hours" ADD CONSTRAINT "staff_working_hours_clinic_id_user_id_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","user_id") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_feed_token_key" ON "calendar_feed" USING btree ("token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "calendar_feed_live_key" ON "calendar_feed" USING btree ("clinic_id","user_id") WHERE "calendar_feed"."revoked_at" IS NULL;--> statement-breakpoint
CREATE INDEX "no_driving_acknowledgement_appointment_idx" ON "no_driving_acknowledgement" USING btree ("clinic_id","appointment_id");--> statement-breakpoint
CREATE INDEX "ride_home_confirmation_appointment_idx" ON "ride_home_confirmation" USING btree ("clinic_id","appointment_id","confirmed_at");--> statement-breakpoint
CREATE INDEX "staff_working_hours_user_idx" ON "staff_working_hours" USING btree ("clinic_id","user_id","weekday");