-- The record of a dosing session is never changed or removed: transitions, checklist runs, overrides, doses,
-- observations and the discharge are append-only (kapstone_reject_change from migration 0002). Only
-- dosing_session itself (the current state) moves, and each move is a dosing_session_event row.
CREATE TRIGGER dosing_session_event_append_only
  BEFORE UPDATE OR DELETE ON dosing_session_event
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER dosing_session_event_no_truncate
  BEFORE TRUNCATE ON dosing_session_event
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER pre_dose_checklist_append_only
  BEFORE UPDATE OR DELETE ON pre_dose_checklist
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER pre_dose_checklist_no_truncate
  BEFORE TRUNCATE ON pre_dose_checklist
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER pre_dose_override_append_only
  BEFORE UPDATE OR DELETE ON pre_dose_override
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER pre_dose_override_no_truncate
  BEFORE TRUNCATE ON pre_dose_override
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER dose_administration_append_only
  BEFORE UPDATE OR DELETE ON dose_administration
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER dose_administration_no_truncate
  BEFORE TRUNCATE ON dose_administration
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER session_observation_append_only
  BEFORE UPDATE OR DELETE ON session_observation
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER session_observation_no_truncate
  BEFORE TRUNCATE ON session_observation
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER session_discharge_append_only
  BEFORE UPDATE OR DELETE ON session_discharge
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER session_discharge_no_truncate
  BEFORE TRUNCATE ON session_discharge
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
