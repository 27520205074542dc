-- Integration notes are kept as written: a correction is a new version that amends the one before
-- (kapstone_reject_change from migration 0002).
CREATE TRIGGER integration_note_append_only
  BEFORE UPDATE OR DELETE ON integration_note
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER integration_note_no_truncate
  BEFORE TRUNCATE ON integration_note
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
