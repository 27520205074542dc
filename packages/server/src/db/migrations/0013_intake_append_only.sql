-- The intake's versions are its history: every save, submission and correction is kept, never changed or
-- removed (kapstone_reject_change, 0002). The head row is never deleted, and it only moves forward: its
-- version never goes back, it never moves to another patient, and a submitted intake never returns to draft
-- (a change after submission is a staff correction, kept as a version with its reason).
CREATE TRIGGER intake_version_append_only
  BEFORE UPDATE OR DELETE ON intake_version
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER intake_version_no_truncate
  BEFORE TRUNCATE ON intake_version
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER intake_no_delete
  BEFORE DELETE ON intake
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER intake_no_truncate
  BEFORE TRUNCATE ON intake
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE FUNCTION kapstone_intake_forward_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id <> OLD.id OR NEW.clinic_id <> OLD.clinic_id OR NEW.patient_id <> OLD.patient_id THEN
    RAISE EXCEPTION 'intake: the patient of an intake cannot change' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.version < OLD.version THEN
    RAISE EXCEPTION 'intake: the version cannot go back' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.status = 'submitted' AND NEW.status <> 'submitted' THEN
    RAISE EXCEPTION 'intake: a submitted intake cannot return to draft' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER intake_forward_only
  BEFORE UPDATE ON intake
  FOR EACH ROW EXECUTE FUNCTION kapstone_intake_forward_only();
