-- Links mailed to answer a survey open to « anyone with a confirmed e-mail » without an
-- account. Only the hash of the link's secret is kept; the address is kept normalised, as the
-- response counts one per normalised address. Several links of one address may be valid at
-- once (a new one asked does not cancel the mail before it).
CREATE TABLE answer_links (
    token_hash bytea PRIMARY KEY,
    survey_id uuid NOT NULL REFERENCES surveys (id),
    email_normalized text NOT NULL,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- account.erased forgets an address's links; the closing job removes expired ones.
CREATE INDEX answer_links_by_address ON answer_links (email_normalized);
CREATE INDEX answer_links_by_expiry ON answer_links (expires_at);
