-- Intermediate milestones, as percentages of a petition's threshold (e.g. 50), each told
-- to the author once per petition.
ALTER TABLE settings ADD COLUMN milestones integer[] NOT NULL DEFAULT '{50}';
CREATE TABLE milestone_crossings (
    petition_id uuid NOT NULL REFERENCES petitions (id),
    percent integer NOT NULL,
    signature_count integer NOT NULL,
    crossed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (petition_id, percent)
);
