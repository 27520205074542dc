-- Invitations are never deleted, and what an invitation was (who, for whom, to which address, which token,
-- until when) never changes: the only changes allowed are its one-way closing, accepted or revoked, once.
CREATE TRIGGER invitation_no_delete
  BEFORE DELETE ON invitation
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER invitation_no_truncate
  BEFORE TRUNCATE ON invitation
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE FUNCTION kapstone_invitation_closes_once() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.id <> OLD.id OR NEW.clinic_id <> OLD.clinic_id OR NEW.patient_id <> OLD.patient_id
     OR NEW.email <> OLD.email OR NEW.token_hash <> OLD.token_hash OR NEW.created_at <> OLD.created_at
     OR NEW.created_by <> OLD.created_by OR NEW.expires_at <> OLD.expires_at
     OR NEW.replaces_id IS DISTINCT FROM OLD.replaces_id OR NEW.mail_id IS DISTINCT FROM OLD.mail_id THEN
    RAISE EXCEPTION 'invitation: only accepting or revoking it is allowed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (OLD.accepted_at IS NOT NULL OR OLD.revoked_at IS NOT NULL)
     AND (NEW.accepted_at IS DISTINCT FROM OLD.accepted_at
          OR NEW.accepted_user_id IS DISTINCT FROM OLD.accepted_user_id
          OR NEW.revoked_at IS DISTINCT FROM OLD.revoked_at
          OR NEW.revoked_by IS DISTINCT FROM OLD.revoked_by
          OR NEW.revoked_reason IS DISTINCT FROM OLD.revoked_reason) THEN
    RAISE EXCEPTION 'invitation: an accepted or revoked invitation is closed' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER invitation_closes_once
  BEFORE UPDATE ON invitation
  FOR EACH ROW EXECUTE FUNCTION kapstone_invitation_closes_once();
