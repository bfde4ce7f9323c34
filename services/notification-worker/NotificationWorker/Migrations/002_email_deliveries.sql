-- One row per mail to send: (source message, recipient) is unique, so an event delivered
-- twice mails once. The row is written before the send and marked after it.
CREATE TABLE email_deliveries (
    id uuid PRIMARY KEY,
    source_message_id text NOT NULL,
    -- The normalised address; replaced by 'erased:<id>' when the person erases their account.
    recipient_key text NOT NULL,
    recipient text,
    template text NOT NULL,
    -- pending → sending → sent | failed; a temporary failure goes back to pending.
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    last_smtp_code integer,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    UNIQUE (source_message_id, recipient_key)
);
CREATE INDEX email_deliveries_by_recipient ON email_deliveries (recipient_key);
CREATE INDEX email_deliveries_by_status ON email_deliveries (status, created_at);
