-- An alert's trail is append-only: an event, once written, is never changed or removed.
CREATE TRIGGER alert_event_append_only
  BEFORE UPDATE OR DELETE ON alert_event
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER alert_event_no_truncate
  BEFORE TRUNCATE ON alert_event
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
-- The alert guard (0008) also keeps an escalation once recorded: it happens once and stays as it was.
CREATE OR REPLACE FUNCTION kapstone_alert_guard() RETURNS trigger
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
  IF OLD.escalated_at IS NOT NULL AND (
       NEW.escalated_at IS DISTINCT FROM OLD.escalated_at
       OR NEW.escalated_to_role IS DISTINCT FROM OLD.escalated_to_role) THEN
    RAISE EXCEPTION 'alert: an escalation cannot be changed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
