-- Psychotherapy notes and adverse events are versioned, never changed: a revision or an amendment is a new row.
-- The clinician's REMS form answers and the submissions are kept as written (kapstone_reject_change, 0002).
CREATE TRIGGER psychotherapy_note_append_only
  BEFORE UPDATE OR DELETE ON psychotherapy_note
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER psychotherapy_note_no_truncate
  BEFORE TRUNCATE ON psychotherapy_note
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER adverse_event_append_only
  BEFORE UPDATE OR DELETE ON adverse_event
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER adverse_event_no_truncate
  BEFORE TRUNCATE ON adverse_event
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER rems_form_answer_append_only
  BEFORE UPDATE OR DELETE ON rems_form_answer
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER rems_form_answer_no_truncate
  BEFORE TRUNCATE ON rems_form_answer
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER rems_form_submission_append_only
  BEFORE UPDATE OR DELETE ON rems_form_submission
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER rems_form_submission_no_truncate
  BEFORE TRUNCATE ON rems_form_submission
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
