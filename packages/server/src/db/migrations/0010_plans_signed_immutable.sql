-- A signed treatment plan version is immutable: no UPDATE once it left 'draft' (signed, or a discarded draft
-- amendment), and no version is ever deleted. Superseding and ending are rows of treatment_plan_event.
CREATE FUNCTION kapstone_treatment_plan_signed_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'draft' THEN
    RAISE EXCEPTION 'treatment_plan % is % and cannot be changed: amend it with a new version', OLD.id, OLD.status
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER treatment_plan_signed_immutable
  BEFORE UPDATE ON treatment_plan
  FOR EACH ROW EXECUTE FUNCTION kapstone_treatment_plan_signed_immutable();
--> statement-breakpoint
CREATE TRIGGER treatment_plan_no_delete
  BEFORE DELETE ON treatment_plan
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER treatment_plan_no_truncate
  BEFORE TRUNCATE ON treatment_plan
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER treatment_plan_event_append_only
  BEFORE UPDATE OR DELETE ON treatment_plan_event
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER treatment_plan_event_no_truncate
  BEFORE TRUNCATE ON treatment_plan_event
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
ALTER TABLE treatment_plan ADD CONSTRAINT treatment_plan_status_known
  CHECK (status IN ('draft', 'signed', 'discarded'));
--> statement-breakpoint
ALTER TABLE treatment_plan ADD CONSTRAINT treatment_plan_signed_complete
  CHECK (status <> 'signed' OR (signed_at IS NOT NULL AND signed_by IS NOT NULL AND signature_id IS NOT NULL));
--> statement-breakpoint
ALTER TABLE treatment_plan ADD CONSTRAINT treatment_plan_amendment_has_reason
  CHECK ((version = 1 AND amends_id IS NULL) OR (version > 1 AND amends_id IS NOT NULL AND amendment_reason IS NOT NULL));
--> statement-breakpoint
ALTER TABLE treatment_plan ADD CONSTRAINT treatment_plan_dose_order
  CHECK (starting_dose > 0 AND maximum_dose >= starting_dose AND dosing_sessions >= 1 AND dose_unit IN ('mg/kg', 'mg'));
--> statement-breakpoint
ALTER TABLE treatment_plan_event ADD CONSTRAINT treatment_plan_event_kind_known
  CHECK ((kind = 'superseded' AND superseded_by_id IS NOT NULL)
      OR (kind = 'ended' AND reason IN ('course-complete', 'stopped')));
--> statement-breakpoint
-- Signed preparation-note versions are append-only; notes themselves are never deleted.
CREATE TRIGGER preparation_note_version_append_only
  BEFORE UPDATE OR DELETE ON preparation_note_version
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER preparation_note_version_no_truncate
  BEFORE TRUNCATE ON preparation_note_version
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER preparation_note_no_delete
  BEFORE DELETE ON preparation_note
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER preparation_note_no_truncate
  BEFORE TRUNCATE ON preparation_note
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
-- A signed note's working copy cannot go back to draft.
CREATE FUNCTION kapstone_preparation_note_stays_signed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'signed' AND NEW.status <> 'signed' THEN
    RAISE EXCEPTION 'preparation_note % is signed: it can only be amended', OLD.id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER preparation_note_stays_signed
  BEFORE UPDATE ON preparation_note
  FOR EACH ROW EXECUTE FUNCTION kapstone_preparation_note_stays_signed();
