-- A filing for a theft or loss (DEA field-office notice, Form 106) is a record like the entry it follows:
-- never changed or removed (kapstone_reject_change from migration 0002).
CREATE TRIGGER ledger_loss_filing_append_only
  BEFORE UPDATE OR DELETE ON ledger_loss_filing
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_loss_filing_no_truncate
  BEFORE TRUNCATE ON ledger_loss_filing
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
