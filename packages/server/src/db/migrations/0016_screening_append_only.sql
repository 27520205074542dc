-- Vital signs and signed eligibility decisions are never changed or removed: a correction supersedes a
-- reading, an amendment follows a decision (kapstone_reject_change from migration 0002).
CREATE TRIGGER vital_signs_append_only
  BEFORE UPDATE OR DELETE ON vital_signs
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER vital_signs_no_truncate
  BEFORE TRUNCATE ON vital_signs
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER eligibility_decision_append_only
  BEFORE UPDATE OR DELETE ON eligibility_decision
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER eligibility_decision_no_truncate
  BEFORE TRUNCATE ON eligibility_decision
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
