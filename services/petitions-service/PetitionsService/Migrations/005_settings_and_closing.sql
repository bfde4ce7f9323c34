-- The platform's petition settings, changed by administrators. A petition freezes the
-- threshold and the collection period in force when it opens: a later change never moves it.
CREATE TABLE settings (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    default_threshold integer NOT NULL CHECK (default_threshold BETWEEN 1 AND 10000000),
    collection_days integer NOT NULL CHECK (collection_days BETWEEN 7 AND 1095),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text
);
ALTER TABLE petitions ADD COLUMN closes_at timestamptz;
-- Open petitions in closing order ("closing soon"), and the closing job's lookup.
CREATE INDEX petitions_closing ON petitions (closes_at) WHERE visible AND status IN ('open', 'threshold_reached');
