-- Signing again while a signature is pending mails a new link, but the notification worker
-- may hold that mail back (a limit per recipient): the links mailed before stay valid until
-- they expire, so the person can confirm with any link they received. Only SHA-256 hashes.
CREATE TABLE earlier_signature_links (
    token_hash bytea PRIMARY KEY,
    signature_id uuid NOT NULL REFERENCES signatures (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL
);
CREATE INDEX earlier_signature_links_by_signature ON earlier_signature_links (signature_id);
CREATE INDEX earlier_signature_links_by_expiry ON earlier_signature_links (expires_at);
