-- A journal entry's versions and the session experience ratings are kept as written: a change of the words or
-- of the sharing, or a corrected rating, is a new row (kapstone_reject_change from migration 0002).
CREATE TRIGGER journal_entry_version_append_only
  BEFORE UPDATE OR DELETE ON journal_entry_version
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER journal_entry_version_no_truncate
  BEFORE TRUNCATE ON journal_entry_version
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER experience_rating_append_only
  BEFORE UPDATE OR DELETE ON experience_rating
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER experience_rating_no_truncate
  BEFORE TRUNCATE ON experience_rating
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
