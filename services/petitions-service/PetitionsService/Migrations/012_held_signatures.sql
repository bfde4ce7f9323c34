-- Signatures held for review. Beyond a signing rate limit (many signatures from one address
-- or one mail domain), a signature is not refused — a campus, a company or a carrier's shared
-- address during a viral petition is many real people — but stored as held: not counted,
-- never crossing a threshold, until staff release it (it then counts, once, as soon as its
-- address is confirmed) or invalidate it. The signatory sees and receives what anyone does.
ALTER TABLE signatures
    -- Held since; null when not held (or once released).
    ADD COLUMN held_at timestamptz,
    -- The source recorded when held: the rate limit it went over, the network of its
    -- address (IPv4 /24, IPv6 /48) and the kind of program that sent it.
    ADD COLUMN held_rule text,
    ADD COLUMN held_network cidr,
    ADD COLUMN held_agent text CHECK (held_agent IN ('browser', 'api', 'script', 'unknown')),
    -- The address was confirmed (link or confirmed account) while held: counted on release.
    ADD COLUMN held_confirmed_at timestamptz,
    ADD COLUMN released_at timestamptz,
    ADD COLUMN held_review_id uuid,
    ADD CONSTRAINT held_signatures_are_not_counted CHECK (held_at IS NULL OR confirmed_at IS NULL),
    ADD CONSTRAINT held_signatures_have_a_source CHECK (held_at IS NULL OR (held_rule IS NOT NULL AND held_agent IS NOT NULL));

CREATE INDEX signatures_held ON signatures (petition_id, held_network, held_agent) WHERE held_at IS NOT NULL AND invalidated_at IS NULL;

-- Staff decisions on held signatures, by source, kept as evidence.
CREATE TABLE held_reviews (
    id uuid PRIMARY KEY,
    petition_id uuid NOT NULL REFERENCES petitions (id),
    -- Null for the signatures whose address was unknown.
    network cidr,
    agent text NOT NULL,
    decision text NOT NULL CHECK (decision IN ('release', 'invalidate')),
    reason text NOT NULL,
    signature_count integer NOT NULL,
    counted_count integer NOT NULL,
    decided_by uuid NOT NULL,
    decided_by_name text NOT NULL,
    decided_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX held_reviews_by_petition ON held_reviews (petition_id, decided_at);
