-- The worker's copy of each account's contact, fed by `account.contact_changed`: a mail
-- goes only to a confirmed, enabled address, and staff topics go by role.
CREATE TABLE recipients (
    account_id uuid PRIMARY KEY,
    email text NOT NULL,
    display_name text,
    email_confirmed boolean NOT NULL,
    disabled boolean NOT NULL,
    staff_roles text[] NOT NULL DEFAULT '{}',
    -- The time of the change the row reflects: an older event arriving late is ignored.
    changed_at timestamptz NOT NULL
);
CREATE INDEX recipients_staff ON recipients USING gin (staff_roles);

-- A person's choice per topic; no row means the topic's default.
CREATE TABLE preferences (
    account_id uuid NOT NULL,
    topic text NOT NULL,
    frequency text NOT NULL CHECK (frequency IN ('immediate', 'daily', 'weekly', 'never')),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, topic)
);

-- What waits for a person's daily or weekly digest; one row per (event, person).
CREATE TABLE digest_items (
    id uuid PRIMARY KEY,
    account_id uuid NOT NULL,
    topic text NOT NULL,
    frequency text NOT NULL CHECK (frequency IN ('daily', 'weekly')),
    source_message_id text NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    link text,
    created_at timestamptz NOT NULL DEFAULT now(),
    digested_at timestamptz,
    UNIQUE (source_message_id, account_id)
);
CREATE INDEX digest_items_waiting ON digest_items (frequency, account_id) WHERE digested_at IS NULL;

-- Mails about a topic carry the link that stops them (RFC 2369 List-Unsubscribe).
ALTER TABLE email_deliveries ADD COLUMN list_unsubscribe text;
