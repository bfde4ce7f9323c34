-- The staff in-app inbox. One row per event that staff must know about; the source
-- message id keeps a redelivered event from notifying twice.
CREATE TABLE staff_notifications (
    id uuid PRIMARY KEY,
    topic text NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    link text,
    source_message_id text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at timestamptz
);
CREATE INDEX staff_notifications_unread ON staff_notifications (created_at DESC) WHERE read_at IS NULL;
