-- Surveys as staff build them. The definition (sections, questions, options, conditions) is
-- one jsonb document, checked by SurveyRules before it is written; the columns beside it are
-- what lists and jobs filter on. Responses, with one row per answer, come with their issue.
CREATE TABLE surveys (
    id uuid PRIMARY KEY,
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
    title text NOT NULL,
    definition jsonb NOT NULL,
    opens_at timestamptz,
    closes_at timestamptz,
    consultation_id uuid,
    question_count integer NOT NULL DEFAULT 0 CHECK (question_count >= 0),
    -- Moves by one at each saved change: an editor's update names the revision it started from.
    revision integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
    created_by uuid NOT NULL,
    created_by_name text NOT NULL,
    updated_by_name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    CHECK (status = 'draft' OR (opens_at IS NOT NULL AND closes_at IS NOT NULL AND published_at IS NOT NULL)),
    CHECK (closes_at IS NULL OR opens_at IS NULL OR closes_at > opens_at)
);

CREATE INDEX surveys_status_updated ON surveys (status, updated_at DESC);
-- The closing job and the "open now" list look surveys up by their dates.
CREATE INDEX surveys_open_dates ON surveys (closes_at, opens_at) WHERE status = 'open';
CREATE INDEX surveys_consultation ON surveys (consultation_id) WHERE consultation_id IS NOT NULL;
