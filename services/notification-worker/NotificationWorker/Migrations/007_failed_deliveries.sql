-- Failed mails are shown to staff, who can send one again (`/admin/envois-en-echec`).
-- A failed mail keeps its body for `FailedDeliveries.retention` after it failed, so that it
-- can be sent again exactly as it was written (its link, its values), then the senders clear
-- it; a mail whose link expired is cleared at once, as before.
ALTER TABLE email_deliveries
    -- When the mail became failed (set by the trigger below, whatever code marks it).
    ADD COLUMN failed_at timestamptz,
    -- How many times staff sent it again.
    ADD COLUMN resends integer NOT NULL DEFAULT 0;

UPDATE email_deliveries SET failed_at = updated_at WHERE status = 'failed';

CREATE FUNCTION email_deliveries_failed_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'failed' AND OLD.status IS DISTINCT FROM 'failed' THEN
        NEW.failed_at := now();
    ELSIF NEW.status <> 'failed' THEN
        NEW.failed_at := NULL;
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER email_deliveries_failed_at BEFORE UPDATE OF status ON email_deliveries
    FOR EACH ROW EXECUTE FUNCTION email_deliveries_failed_at();

CREATE INDEX email_deliveries_failed ON email_deliveries (failed_at DESC, id DESC) WHERE status = 'failed';
