-- Workshops (« ateliers ») of a process's phases, and the registrations citizens make with
-- or without an account. A registration holds a seat (confirmed) or waits for one
-- (waitlisted, in order of `waitlisted_at`); cancelling with its token frees the seat, which
-- goes to the first of the waitlist in the same transaction, under a lock on the workshop's row.
CREATE TABLE workshops (
    id uuid PRIMARY KEY,
    process_id uuid NOT NULL REFERENCES processes (id),
    phase_id uuid NOT NULL REFERENCES process_phases (id),
    -- In the order staff gave them.
    themes text[] NOT NULL CHECK (cardinality(themes) >= 1),
    arrondissement text NOT NULL,
    place text NOT NULL DEFAULT '',
    online_link text NOT NULL DEFAULT '',
    starts_at timestamptz NOT NULL,
    ends_at timestamptz NOT NULL CHECK (ends_at > starts_at),
    capacity integer NOT NULL CHECK (capacity >= 1),
    accessibility text NOT NULL DEFAULT '',
    status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    created_by uuid NOT NULL,
    created_by_name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (place <> '' OR online_link <> '')
);

CREATE INDEX workshops_by_process ON workshops (process_id, starts_at);

CREATE TABLE workshop_registrations (
    id uuid PRIMARY KEY,
    workshop_id uuid NOT NULL REFERENCES workshops (id),
    account_id uuid,
    name text NOT NULL,
    email text NOT NULL,
    -- The address as compared (`EmailAddress.normalized`): one live registration per person.
    email_key text NOT NULL,
    accessibility_needs text NOT NULL DEFAULT '',
    childcare boolean NOT NULL DEFAULT false,
    status text NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    -- Shown at the door; unique within its workshop.
    check_in_code text NOT NULL,
    -- The unguessable key of the registration's link (its page, .ics, cancel button). Kept as
    -- is, not hashed: the promotion mail, sent long after registering, carries it again.
    cancel_token text NOT NULL UNIQUE,
    registered_at timestamptz NOT NULL DEFAULT now(),
    -- When it joined the waitlist (its order there); null if it never waited.
    waitlisted_at timestamptz,
    -- When a freed seat went to it.
    promoted_at timestamptz,
    cancelled_at timestamptz,
    checked_in_at timestamptz,
    UNIQUE (workshop_id, check_in_code)
);

-- One live registration per address and workshop; a cancelled one may register again.
CREATE UNIQUE INDEX workshop_registrations_one_per_person ON workshop_registrations (workshop_id, email_key) WHERE status <> 'cancelled';
CREATE INDEX workshop_registrations_waitlist ON workshop_registrations (workshop_id, waitlisted_at, id) WHERE status = 'waitlisted';

-- The fill levels (50, 80, 100 %) staff were told of: each once per workshop.
CREATE TABLE workshop_fill_alerts (
    workshop_id uuid NOT NULL REFERENCES workshops (id),
    percentage integer NOT NULL CHECK (percentage IN (50, 80, 100)),
    sent_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workshop_id, percentage)
);
