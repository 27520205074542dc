-- Counts and inventories are records of what was on hand (21 CFR 1304.11: kept in permanent form), and the
-- link from a discrepancy to the entry that accounts for it is part of that record: never changed or removed
-- (kapstone_reject_change from migration 0002). A count never changes a balance: a discrepancy is resolved by
-- a ledger entry of its own.
CREATE TRIGGER ledger_count_append_only
  BEFORE UPDATE OR DELETE ON ledger_count
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_count_no_truncate
  BEFORE TRUNCATE ON ledger_count
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_count_line_append_only
  BEFORE UPDATE OR DELETE ON ledger_count_line
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_count_line_no_truncate
  BEFORE TRUNCATE ON ledger_count_line
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_count_resolution_append_only
  BEFORE UPDATE OR DELETE ON ledger_count_resolution
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_count_resolution_no_truncate
  BEFORE TRUNCATE ON ledger_count_resolution
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
-- The retention setting can only be at least 2 years (21 CFR 1304.04(a)), whatever writes it.
ALTER TABLE ledger_settings ADD CONSTRAINT ledger_settings_retention_check
  CHECK (NOT ("values" ? 'retentionYears') OR (jsonb_typeof("values"->'retentionYears') = 'number' AND ("values"->>'retentionYears')::numeric >= 2));
