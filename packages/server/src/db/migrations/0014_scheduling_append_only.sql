-- Ride-home confirmations and no-driving acknowledgements are evidence captured before check-in: a change
-- is a new row (superseding or withdrawing), never an edit or a deletion.
CREATE TRIGGER ride_home_confirmation_append_only
  BEFORE UPDATE OR DELETE ON ride_home_confirmation
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER ride_home_confirmation_no_truncate
  BEFORE TRUNCATE ON ride_home_confirmation
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER no_driving_acknowledgement_append_only
  BEFORE UPDATE OR DELETE ON no_driving_acknowledgement
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER no_driving_acknowledgement_no_truncate
  BEFORE TRUNCATE ON no_driving_acknowledgement
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
-- The working hours of a span end after it starts, even across the day ('24:00' closes a day).
ALTER TABLE staff_working_hours ADD CONSTRAINT staff_working_hours_no_overlap
  EXCLUDE USING gist (clinic_id WITH =, user_id WITH =, weekday WITH =,
    int4range((split_part(starts_at, ':', 1)::int * 60 + split_part(starts_at, ':', 2)::int),
              (split_part(ends_at, ':', 1)::int * 60 + split_part(ends_at, ':', 2)::int), '[)') WITH &&);
