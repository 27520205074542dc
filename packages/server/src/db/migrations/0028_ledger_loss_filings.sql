CREATE TABLE "ledger_loss_filing" (
	"id" uuid NOT NULL,
	"clinic_id" uuid NOT NULL,
	"entry_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"filed_at" timestamp with time zone NOT NULL,
	"reference" text,
	"recorded_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_by_name" text NOT NULL,
	CONSTRAINT "ledger_loss_filing_clinic_id_id_pk" PRIMARY KEY("clinic_id","id"),
	CONSTRAINT "ledger_loss_filing_id_key" UNIQUE("id"),
	CONSTRAINT "ledger_loss_filing_once_key" UNIQUE("clinic_id","entry_id","kind"),
	CONSTRAINT "ledger_loss_filing_kind_check" CHECK ("ledger_loss_filing"."kind" IN ('field-office-notice', 'form-106'))
);
--> statement-breakpoint
ALTER TABLE "ledger_loss_filing" ADD CONSTRAINT "ledger_loss_filing_clinic_id_entry_id_ledger_entry_clinic_id_id_fk" FOREIGN KEY ("clinic_id","entry_id") REFERENCES "public"."ledger_entry"("clinic_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_loss_filing" ADD CONSTRAINT "ledger_loss_filing_clinic_id_recorded_by_user_account_clinic_id_id_fk" FOREIGN KEY ("clinic_id","recorded_by") REFERENCES "public"."user_account"("clinic_id","id") ON DELETE no action ON UPDATE no action;