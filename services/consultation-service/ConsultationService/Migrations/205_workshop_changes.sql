-- A workshop's changes that its invitations must follow: each new date, time or place, and
-- calling it off, raises `sequence`, the iCalendar SEQUENCE of its event (same UID), so that a
-- calendar holding an older invitation replaces it.
ALTER TABLE workshops ADD COLUMN sequence integer NOT NULL DEFAULT 0 CHECK (sequence >= 0);
