-- Signatures collected on paper, entered by staff in batches. They count toward the
-- threshold (`signature_count` is online + paper) and are shown apart (`paper_count`).
CREATE TABLE paper_batches (
    id uuid PRIMARY KEY,
    petition_id uuid NOT NULL REFERENCES petitions (id),
    signature_count integer NOT NULL CHECK (signature_count BETWEEN 1 AND 100000),
    collected_on date NOT NULL,
    place text NOT NULL,
    -- The names, when the sheets list them (kept as the staff typed them).
    names text[] NOT NULL DEFAULT '{}',
    entered_by uuid NOT NULL,
    entered_by_name text NOT NULL,
    entered_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX paper_batches_by_petition ON paper_batches (petition_id, entered_at);
ALTER TABLE petitions ADD COLUMN paper_count integer NOT NULL DEFAULT 0 CHECK (paper_count >= 0);
