-- Questionnaire responses and their observations are append-only: a correction is a new response that
-- names the one it supersedes. UPDATE, DELETE and TRUNCATE are rejected by the database itself.
CREATE TRIGGER questionnaire_response_append_only
  BEFORE UPDATE OR DELETE ON questionnaire_response
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER questionnaire_response_no_truncate
  BEFORE TRUNCATE ON questionnaire_response
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER observation_append_only
  BEFORE UPDATE OR DELETE ON observation
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER observation_no_truncate
  BEFORE TRUNCATE ON observation
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
-- Assignments change status (pending -> completed or cancelled) but are never deleted.
CREATE TRIGGER measure_assignment_no_delete
  BEFORE DELETE ON measure_assignment
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER measure_assignment_no_truncate
  BEFORE TRUNCATE ON measure_assignment
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
-- An alert is never deleted, and what was raised (patient, kind, severity, summary, source, time) is never
-- rewritten. Its owner and status may move; an acknowledgement, once recorded, stands.
CREATE FUNCTION kapstone_alert_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id <> OLD.id OR NEW.clinic_id <> OLD.clinic_id OR NEW.patient_id <> OLD.patient_id
     OR NEW.kind <> OLD.kind OR NEW.severity <> OLD.severity OR NEW.summary <> OLD.summary
     OR NEW.source_type <> OLD.source_type OR NEW.source_id <> OLD.source_id
     OR NEW.raised_at <> OLD.raised_at THEN
    RAISE EXCEPTION 'alert: what was raised cannot be changed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.acknowledged_at IS NOT NULL AND (
       NEW.acknowledged_at IS DISTINCT FROM OLD.acknowledged_at
       OR NEW.acknowledged_by IS DISTINCT FROM OLD.acknowledged_by
       OR NEW.acknowledgement_action IS DISTINCT FROM OLD.acknowledgement_action) THEN
    RAISE EXCEPTION 'alert: an acknowledgement cannot be changed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER alert_guard
  BEFORE UPDATE ON alert
  FOR EACH ROW EXECUTE FUNCTION kapstone_alert_guard();
--> statement-breakpoint
CREATE TRIGGER alert_no_delete
  BEFORE DELETE ON alert
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER alert_no_truncate
  BEFORE TRUNCATE ON alert
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
