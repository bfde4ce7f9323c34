-- The reminder mailed the day before a workshop: `reminded_at` is set in the transaction that
-- queues it, so each registration is reminded once whatever the replicas sweeping.
ALTER TABLE workshop_registrations ADD COLUMN reminded_at timestamptz;

CREATE INDEX workshop_registrations_to_remind ON workshop_registrations (workshop_id)
    WHERE status = 'confirmed' AND reminded_at IS NULL;
