-- Consultations as staff write them. The definition (texts, themes, dates, kinds, policy) is
-- one jsonb document checked before it is written; the columns beside it are what lists,
-- jobs and contributions filter on.
CREATE TABLE consultations (
    id uuid PRIMARY KEY,
    title text NOT NULL,
    definition jsonb NOT NULL,
    opens_at timestamptz NOT NULL,
    -- When contributions stop: the extension of the closing date when there is one.
    closes_at timestamptz NOT NULL,
    results_published boolean NOT NULL DEFAULT false,
    -- Moves by one at each saved change: an editor's update names the revision it started from.
    revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
    -- When `consultation.opened` was queued: once per consultation.
    opening_announced_at timestamptz,
    created_by uuid NOT NULL,
    created_by_name text NOT NULL,
    updated_by_name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK (closes_at > opens_at)
);

CREATE INDEX consultations_listed ON consultations (closes_at DESC);
-- The opening job looks for consultations opened and not yet announced.
CREATE INDEX consultations_to_announce ON consultations (opens_at) WHERE opening_announced_at IS NULL;
