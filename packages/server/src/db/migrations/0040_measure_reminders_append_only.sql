-- Each reminder sent is kept as sent (kapstone_reject_change from migration 0002).
CREATE TRIGGER measure_reminder_append_only
  BEFORE UPDATE OR DELETE ON measure_reminder
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER measure_reminder_no_truncate
  BEFORE TRUNCATE ON measure_reminder
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
