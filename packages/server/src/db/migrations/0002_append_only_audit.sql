-- The audit trail is append-only, enforced by the database itself (not only by the application):
-- UPDATE and DELETE of a row, and TRUNCATE of the table, are rejected.
CREATE FUNCTION kapstone_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_event_append_only
  BEFORE UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER audit_event_no_truncate
  BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
-- The chain head moves forward only: it may be updated to a later sequence, never deleted or rewound.
CREATE FUNCTION kapstone_audit_head_forward_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.last_sequence <= OLD.last_sequence OR NEW.clinic_id <> OLD.clinic_id THEN
    RAISE EXCEPTION 'audit_chain_head only moves forward' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_chain_head_forward_only
  BEFORE UPDATE ON audit_chain_head
  FOR EACH ROW EXECUTE FUNCTION kapstone_audit_head_forward_only();
--> statement-breakpoint
CREATE TRIGGER audit_chain_head_no_delete
  BEFORE DELETE ON audit_chain_head
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER audit_chain_head_no_truncate
  BEFORE TRUNCATE ON audit_chain_head
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
-- Clinical list entries (diagnoses, medications, allergies) and demographic versions are never deleted:
-- an entry made in error is marked 'entered-in-error'.
CREATE TRIGGER patient_version_append_only
  BEFORE UPDATE OR DELETE ON patient_version
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER patient_condition_no_delete
  BEFORE DELETE ON patient_condition
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER patient_medication_no_delete
  BEFORE DELETE ON patient_medication
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER patient_allergy_no_delete
  BEFORE DELETE ON patient_allergy
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
