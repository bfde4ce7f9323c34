-- Fraud controls. The block list refuses signatures on every petition: from an address or
-- a network (kind 'ip', stored as a network: 203.0.113.7/32, 203.0.113.0/24), a mail
-- domain, or a normalised e-mail address.
CREATE TABLE block_list (
    kind text NOT NULL CHECK (kind IN ('ip', 'domain', 'email')),
    value text NOT NULL,
    reason text NOT NULL,
    added_by_name text NOT NULL,
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (kind, value)
);

-- Bulk invalidations, kept with their criteria and reason: the signatures stay (marked),
-- so what was removed and why can be shown to the commission.
CREATE TABLE invalidations (
    id uuid PRIMARY KEY,
    petition_id uuid NOT NULL REFERENCES petitions (id),
    client_address cidr,
    email_domain text,
    from_at timestamptz,
    until_at timestamptz,
    reason text NOT NULL,
    signature_count integer NOT NULL,
    counted_count integer NOT NULL,
    decided_by uuid NOT NULL,
    decided_by_name text NOT NULL,
    decided_at timestamptz NOT NULL DEFAULT now(),
    CHECK (client_address IS NOT NULL OR email_domain IS NOT NULL OR from_at IS NOT NULL OR until_at IS NOT NULL)
);
CREATE INDEX invalidations_by_petition ON invalidations (petition_id, decided_at);
