CREATE TABLE "alert_event" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"alert_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"actor_id" uuid,
	"owner_id" uuid,
	"previous_owner_id" uuid,
	"role" text,
	"note" text,
	"detail" jsonb,
	CONSTRAINT "alert_event_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "alert_event_id_key" UNIQUE("id")
);
--> statement-breakpoint
ALTER TABLE "alert" ADD COLUMN "escalated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "alert" ADD COLUMN "escalated_to_role" text;--> statement-breakpoint
ALTER TABLE "alert_event" ADD CONSTRAINT "alert_event_clinic_id_alert_id_alert_clinic_id_id_fk" FOREIGN KEY ("clinic_id","alert_id") REFERENCES "public"."alert"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_event" ADD CONSTRAINT "alert_event_clinic_id_actor_id_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","actor_id") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_event" ADD CONSTRAINT "alert_event_clinic_id_owner_id_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","owner_id") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_event" ADD CONSTRAINT "alert_event_clinic_id_previous_owner_id_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","previous_owner_id") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_event_alert_idx" ON "alert_event" USING btree ("clinic_id","alert_id","occurred_at");--> statement-breakpoint
CREATE INDEX "alert_owner_idx" ON "alert" USING btree ("clinic_id","owner_id","status");