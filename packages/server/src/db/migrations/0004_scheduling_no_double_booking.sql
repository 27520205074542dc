-- No double booking of a room, a staff member or a patient, guaranteed by the database under any
-- concurrency: two live appointments whose half-open time ranges overlap cannot both exist.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE appointment ADD CONSTRAINT appointment_room_no_overlap
  EXCLUDE USING gist (clinic_id WITH =, room_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
  WHERE (status <> 'cancelled' AND room_id IS NOT NULL);
--> statement-breakpoint
ALTER TABLE appointment ADD CONSTRAINT appointment_patient_no_overlap
  EXCLUDE USING gist (clinic_id WITH =, patient_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
  WHERE (status <> 'cancelled');
--> statement-breakpoint
ALTER TABLE appointment_staff ADD CONSTRAINT appointment_staff_no_overlap
  EXCLUDE USING gist (clinic_id WITH =, user_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
  WHERE (active);
--> statement-breakpoint
ALTER TABLE appointment ADD CONSTRAINT appointment_time_order CHECK (ends_at > starts_at);
--> statement-breakpoint
ALTER TABLE appointment_staff ADD CONSTRAINT appointment_staff_time_order CHECK (ends_at > starts_at);
