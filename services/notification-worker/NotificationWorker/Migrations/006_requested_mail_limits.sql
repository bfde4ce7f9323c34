-- Mails that someone other than the recipient can cause (a signature, a registration, a
-- reset request) are limited per recipient: one per subject (a petition, a kind of account
-- mail) in an interval, a few a day in total. A mail over the limit is kept in the log as
-- 'suppressed', without its body, and never sent.
ALTER TABLE email_deliveries ADD COLUMN limit_subject text;
ALTER TABLE email_deliveries DROP CONSTRAINT email_deliveries_status_check;
ALTER TABLE email_deliveries ADD CONSTRAINT email_deliveries_status_check
    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'suppressed'));
CREATE INDEX email_deliveries_limited ON email_deliveries (recipient_key, created_at) WHERE limit_subject IS NOT NULL;
