-- Consent is a signed record: template versions, signatures, countersignatures and withdrawals are
-- append-only, and templates are never deleted. Enforced by the database (kapstone_reject_change, 0002).
CREATE TRIGGER consent_template_no_delete
  BEFORE DELETE ON consent_template
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER consent_template_version_append_only
  BEFORE UPDATE OR DELETE ON consent_template_version
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER consent_signature_append_only
  BEFORE UPDATE OR DELETE ON consent_signature
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER consent_countersignature_append_only
  BEFORE UPDATE OR DELETE ON consent_countersignature
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER consent_withdrawal_append_only
  BEFORE UPDATE OR DELETE ON consent_withdrawal
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER consent_template_version_no_truncate
  BEFORE TRUNCATE ON consent_template_version
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER consent_signature_no_truncate
  BEFORE TRUNCATE ON consent_signature
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER consent_countersignature_no_truncate
  BEFORE TRUNCATE ON consent_countersignature
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER consent_withdrawal_no_truncate
  BEFORE TRUNCATE ON consent_withdrawal
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
