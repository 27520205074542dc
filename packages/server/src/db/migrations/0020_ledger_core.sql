CREATE TABLE "ledger_entry" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"quantity" numeric(12, 3) NOT NULL,
	"quantity_mg" numeric(14, 3) NOT NULL,
	"balance_after" numeric(12, 3) NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_by_name" text NOT NULL,
	"witness_id" uuid,
	"witness_name" text,
	"signed_by" uuid,
	"signer_name" text,
	"session_id" uuid,
	"administration_id" uuid,
	"patient_id" uuid,
	"containers" integer,
	"counterparty_name" text,
	"counterparty_address" text,
	"counterparty_dea" text,
	"document_number" text,
	"reason" text,
	"loss_report" jsonb,
	"reverses_id" uuid,
	"request_fingerprint" text NOT NULL,
	CONSTRAINT "ledger_entry_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "ledger_entry_id_key" UNIQUE("id"),
	CONSTRAINT "ledger_entry_reverses_once_key" UNIQUE("clinic_id","reverses_id"),
	CONSTRAINT "ledger_entry_administration_key" UNIQUE("clinic_id","administration_id","kind"),
	CONSTRAINT "ledger_entry_kind_check" CHECK ("ledger_entry"."kind" IN ('receipt', 'administration', 'waste', 'transfer', 'loss', 'adjustment', 'correction')),
	CONSTRAINT "ledger_entry_sign_check" CHECK (CASE "ledger_entry"."kind" WHEN 'receipt' THEN "ledger_entry"."quantity" > 0 WHEN 'adjustment' THEN "ledger_entry"."quantity" <> 0 WHEN 'correction' THEN "ledger_entry"."quantity" <> 0 ELSE "ledger_entry"."quantity" < 0 END),
	CONSTRAINT "ledger_entry_balance_nonnegative" CHECK ("ledger_entry"."balance_after" >= 0),
	CONSTRAINT "ledger_entry_receipt_shape" CHECK ("ledger_entry"."kind" <> 'receipt' OR ("ledger_entry"."counterparty_name" IS NOT NULL AND "ledger_entry"."counterparty_address" IS NOT NULL AND "ledger_entry"."counterparty_dea" IS NOT NULL AND "ledger_entry"."document_number" IS NOT NULL AND "ledger_entry"."containers" > 0)),
	CONSTRAINT "ledger_entry_administration_shape" CHECK ("ledger_entry"."kind" <> 'administration' OR ("ledger_entry"."session_id" IS NOT NULL AND "ledger_entry"."administration_id" IS NOT NULL AND "ledger_entry"."patient_id" IS NOT NULL)),
	CONSTRAINT "ledger_entry_waste_shape" CHECK ("ledger_entry"."kind" <> 'waste' OR ("ledger_entry"."witness_id" IS NOT NULL AND "ledger_entry"."witness_id" <> "ledger_entry"."recorded_by" AND "ledger_entry"."reason" IS NOT NULL)),
	CONSTRAINT "ledger_entry_transfer_shape" CHECK ("ledger_entry"."kind" <> 'transfer' OR ("ledger_entry"."counterparty_name" IS NOT NULL AND "ledger_entry"."counterparty_address" IS NOT NULL)),
	CONSTRAINT "ledger_entry_loss_shape" CHECK (("ledger_entry"."kind" = 'loss') = ("ledger_entry"."loss_report" IS NOT NULL)),
	CONSTRAINT "ledger_entry_adjustment_shape" CHECK ("ledger_entry"."kind" <> 'adjustment' OR ("ledger_entry"."signed_by" IS NOT NULL AND "ledger_entry"."reason" IS NOT NULL)),
	CONSTRAINT "ledger_entry_correction_shape" CHECK (("ledger_entry"."kind" = 'correction') = ("ledger_entry"."reverses_id" IS NOT NULL) AND ("ledger_entry"."kind" <> 'correction' OR "ledger_entry"."reason" IS NOT NULL)),
	CONSTRAINT "ledger_entry_not_self" CHECK ("ledger_entry"."reverses_id" IS NULL OR "ledger_entry"."reverses_id" <> "ledger_entry"."id"),
	CONSTRAINT "ledger_entry_fingerprint" CHECK ("ledger_entry"."request_fingerprint" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "ledger_location" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"dea_registration" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ledger_location_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "ledger_location_id_key" UNIQUE("id"),
	CONSTRAINT "ledger_location_registration_key" UNIQUE("clinic_id","dea_registration"),
	CONSTRAINT "ledger_location_dea_format" CHECK ("ledger_location"."dea_registration" ~ '^[A-Z]{2}[0-9]{7}$')
);
--> statement-breakpoint
CREATE TABLE "ledger_lot" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"lot_number" text NOT NULL,
	"expires_on" date NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "ledger_lot_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "ledger_lot_id_key" UNIQUE("id"),
	CONSTRAINT "ledger_lot_number_key" UNIQUE("clinic_id","location_id","product_id","lot_number")
);
--> statement-breakpoint
CREATE TABLE "ledger_product" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"product" text NOT NULL,
	"name" text NOT NULL,
	"ndc" text NOT NULL,
	"form" text NOT NULL,
	"unit" text NOT NULL,
	"concentration_mg_per_unit" numeric(10, 3) NOT NULL,
	"container_size" numeric(10, 3) NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid NOT NULL,
	CONSTRAINT "ledger_product_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "ledger_product_id_key" UNIQUE("id"),
	CONSTRAINT "ledger_product_ndc_key" UNIQUE("clinic_id","ndc"),
	CONSTRAINT "ledger_product_product_check" CHECK ("ledger_product"."product" IN ('ketamine-racemic', 'esketamine')),
	CONSTRAINT "ledger_product_form_unit_check" CHECK (("ledger_product"."form" IN ('vial', 'nasal-spray') AND "ledger_product"."unit" = 'mL') OR ("ledger_product"."form" = 'nasal-device' AND "ledger_product"."unit" = 'device') OR ("ledger_product"."form" = 'troche' AND "ledger_product"."unit" = 'troche')),
	CONSTRAINT "ledger_product_concentration_positive" CHECK ("ledger_product"."concentration_mg_per_unit" > 0),
	CONSTRAINT "ledger_product_container_positive" CHECK ("ledger_product"."container_size" > 0)
);
--> statement-breakpoint
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_clinic_id_lot_id_ledger_lot_clinic_id_id_fk" FOREIGN KEY ("clinic_id","lot_id") REFERENCES "public"."ledger_lot"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_clinic_id_location_id_ledger_location_clinic_id_id_fk" FOREIGN KEY ("clinic_id","location_id") REFERENCES "public"."ledger_location"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_clinic_id_recorded_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","recorded_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_clinic_id_witness_id_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","witness_id") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_clinic_id_signed_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","signed_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_clinic_id_patient_id_patient_clinic_id_id_fk" FOREIGN KEY ("clinic_id","patient_id") REFERENCES "public"."patient"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_reverses_fk" FOREIGN KEY ("clinic_id","reverses_id") REFERENCES "public"."ledger_entry"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_location" ADD CONSTRAINT "ledger_location_clinic_id_created_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","created_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_lot" ADD CONSTRAINT "ledger_lot_clinic_id_location_id_ledger_location_clinic_id_id_fk" FOREIGN KEY ("clinic_id","location_id") REFERENCES "public"."ledger_location"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_lot" ADD CONSTRAINT "ledger_lot_clinic_id_product_id_ledger_product_clinic_id_id_fk" FOREIGN KEY ("clinic_id","product_id") REFERENCES "public"."ledger_product"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_product" ADD CONSTRAINT "ledger_product_clinic_id_created_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","created_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_entry_lot_idx" ON "ledger_entry" USING btree ("clinic_id","lot_id","recorded_at");--> statement-breakpoint
CREATE INDEX "ledger_entry_list_idx" ON "ledger_entry" USING btree ("clinic_id","recorded_at","id");--> statement-breakpoint
CREATE INDEX "ledger_entry_session_idx" ON "ledger_entry" USING btree ("clinic_id","session_id");