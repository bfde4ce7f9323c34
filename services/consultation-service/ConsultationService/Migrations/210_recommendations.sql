-- The orientation report of a process (seed 001's step 5), one recommendation at a time, each
-- citing the contributions it draws on; what the council made of it (step 6); and, for the
-- adopted ones, their implementation milestones. A recommendation is a draft until staff
-- publish it: only then are it and its citations public, and their people told.
CREATE TABLE recommendations (
    id uuid PRIMARY KEY,
    process_id uuid NOT NULL REFERENCES processes (id),
    number integer NOT NULL CHECK (number BETWEEN 1 AND 999),
    title text NOT NULL,
    body text NOT NULL,
    published_at timestamptz,
    fate text CHECK (fate IN ('adopted', 'modified', 'rejected')),
    fate_reason text,
    decided_at timestamptz,
    created_by uuid NOT NULL,
    created_by_name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (process_id, number),
    -- A fate other than a plain adoption always says why; a fate needs a published recommendation.
    CHECK (fate IS NULL OR fate = 'adopted' OR fate_reason IS NOT NULL),
    CHECK (fate IS NULL OR (published_at IS NOT NULL AND decided_at IS NOT NULL))
);

-- The contributions a recommendation draws on, in staff's order. The way back (a
-- contribution's recommendations) reads the second index.
CREATE TABLE recommendation_citations (
    recommendation_id uuid NOT NULL REFERENCES recommendations (id),
    contribution_id uuid NOT NULL REFERENCES contributions (id),
    position integer NOT NULL,
    PRIMARY KEY (recommendation_id, contribution_id)
);

CREATE INDEX recommendation_citations_by_contribution ON recommendation_citations (contribution_id);

CREATE TABLE recommendation_milestones (
    id uuid PRIMARY KEY,
    recommendation_id uuid NOT NULL REFERENCES recommendations (id),
    title text NOT NULL,
    due_on date NOT NULL,
    progress integer NOT NULL CHECK (progress BETWEEN 0 AND 100),
    status text NOT NULL CHECK (status IN ('planned', 'in_progress', 'delayed', 'done')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX recommendation_milestones_by_recommendation ON recommendation_milestones (recommendation_id, due_on);
