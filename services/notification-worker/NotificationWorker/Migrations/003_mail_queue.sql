-- The delivery rows become the mail queue. An event's handler writes the mail in the same
-- transaction as its inbox row; a sender sends what is due, outside any transaction:
--   pending (due at next_attempt_at) → sending (leased until lease_until) → sent | failed
-- A temporary SMTP failure puts the row back to pending with a later next_attempt_at.
ALTER TABLE email_deliveries
    -- The mail itself, kept until it leaves (it may hold a personal link), then cleared.
    ADD COLUMN subject text,
    ADD COLUMN body_text text,
    ADD COLUMN body_html text,
    -- The account the mail is for, when there is one (erasure forgets its rows).
    ADD COLUMN account_id uuid,
    ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now(),
    -- A sender owns a `sending` row until then; the lease outlasts the SMTP timeout, so an
    -- expired lease means the sender died during the send.
    ADD COLUMN lease_until timestamptz,
    -- A mail whose link has expired is not worth sending late.
    ADD COLUMN send_before timestamptz;

DROP INDEX email_deliveries_by_status;
CREATE INDEX email_deliveries_due ON email_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX email_deliveries_leased ON email_deliveries (lease_until) WHERE status = 'sending';
CREATE INDEX email_deliveries_by_account ON email_deliveries (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX email_deliveries_by_time ON email_deliveries (created_at DESC);

-- Wakes the senders as soon as a mail is queued (they also poll, for retries that become due).
CREATE FUNCTION email_deliveries_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify(TG_TABLE_SCHEMA || '_mail', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER email_deliveries_queued AFTER INSERT ON email_deliveries
    FOR EACH STATEMENT EXECUTE FUNCTION email_deliveries_notify();

-- Accounts erased: an event about one of them that arrives late (the broker does not order
-- across queues) must not queue a mail to the address the person asked to forget.
CREATE TABLE erased_accounts (
    account_id uuid PRIMARY KEY,
    erased_at timestamptz NOT NULL
);
