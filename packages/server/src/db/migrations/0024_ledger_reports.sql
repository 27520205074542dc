CREATE TABLE "ledger_count" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"taken_at" timestamp with time zone NOT NULL,
	"business_time" text,
	"counted_by" uuid NOT NULL,
	"counted_by_name" text NOT NULL,
	"note" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"request_fingerprint" text NOT NULL,
	CONSTRAINT "ledger_count_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "ledger_count_id_key" UNIQUE("id"),
	CONSTRAINT "ledger_count_kind_check" CHECK ("ledger_count"."kind" IN ('count', 'initial-inventory', 'biennial-inventory')),
	CONSTRAINT "ledger_count_business_time_check" CHECK (("ledger_count"."business_time" IS NULL OR "ledger_count"."business_time" IN ('opening', 'close')) AND ("ledger_count"."kind" = 'count' OR "ledger_count"."business_time" IS NOT NULL)),
	CONSTRAINT "ledger_count_fingerprint" CHECK ("ledger_count"."request_fingerprint" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "ledger_count_line" (
	"clinic_id" uuid NOT NULL,
	"count_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"sealed_containers" integer NOT NULL,
	"opened_containers" integer NOT NULL,
	"opened_quantity" numeric(12, 3) NOT NULL,
	"method" text NOT NULL,
	"counted_quantity" numeric(12, 3) NOT NULL,
	"book_balance" numeric(12, 3) NOT NULL,
	"difference" numeric(12, 3) NOT NULL,
	CONSTRAINT "ledger_count_line_clinic_id_count_id_lot_id_pk" PRIMARY KEY("clinic_id","count_id","lot_id"),
	CONSTRAINT "ledger_count_line_quantities" CHECK ("ledger_count_line"."sealed_containers" >= 0 AND "ledger_count_line"."opened_containers" >= 0 AND "ledger_count_line"."opened_quantity" >= 0 AND "ledger_count_line"."counted_quantity" >= 0 AND "ledger_count_line"."book_balance" >= 0),
	CONSTRAINT "ledger_count_line_method" CHECK ("ledger_count_line"."method" IN ('exact', 'estimated')),
	CONSTRAINT "ledger_count_line_difference" CHECK ("ledger_count_line"."difference" = "ledger_count_line"."counted_quantity" - "ledger_count_line"."book_balance")
);
--> statement-breakpoint
CREATE TABLE "ledger_count_resolution" (
	"clinic_id" uuid NOT NULL,
	"count_id" uuid NOT NULL,
	"lot_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL,
	CONSTRAINT "ledger_count_resolution_clinic_id_count_id_lot_id_entry_id_pk" PRIMARY KEY("clinic_id","count_id","lot_id","entry_id"),
	CONSTRAINT "ledger_count_resolution_entry_key" UNIQUE("clinic_id","entry_id")
);
--> statement-breakpoint
CREATE TABLE "ledger_settings" (
	"clinic_id" uuid PRIMARY KEY NOT NULL,
	"values" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ledger_count" ADD CONSTRAINT "ledger_count_clinic_id_location_id_ledger_location_clinic_id_id_fk" FOREIGN KEY ("clinic_id","location_id") REFERENCES "public"."ledger_location"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_count" ADD CONSTRAINT "ledger_count_clinic_id_counted_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","counted_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_count_line" ADD CONSTRAINT "ledger_count_line_clinic_id_count_id_ledger_count_clinic_id_id_fk" FOREIGN KEY ("clinic_id","count_id") REFERENCES "public"."ledger_count"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_count_line" ADD CONSTRAINT "ledger_count_line_clinic_id_lot_id_ledger_lot_clinic_id_id_fk" FOREIGN KEY ("clinic_id","lot_id") REFERENCES "public"."ledger_lot"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_count_resolution" ADD CONSTRAINT "ledger_count_resolution_clinic_id_count_id_lot_id_ledger_count_line_clinic_id_count_id_lot_id_fk" FOREIGN KEY ("clinic_id","count_id","lot_id") REFERENCES "public"."ledger_count_line"("clinic_id","count_id","lot_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_count_resolution" ADD CONSTRAINT "ledger_count_resolution_clinic_id_entry_id_ledger_entry_clinic_id_id_fk" FOREIGN KEY ("clinic_id","entry_id") REFERENCES "public"."ledger_entry"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_count_resolution" ADD CONSTRAINT "ledger_count_resolution_clinic_id_recorded_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","recorded_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_settings" ADD CONSTRAINT "ledger_settings_clinic_id_clinic_id_fk" FOREIGN KEY ("clinic_id") REFERENCES "public"."clinic"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_count_one_initial_key" ON "ledger_count" USING btree ("clinic_id","location_id") WHERE "ledger_count"."kind" = 'initial-inventory';