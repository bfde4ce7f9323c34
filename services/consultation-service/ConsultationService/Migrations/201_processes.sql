-- Participatory processes (numbered from 201: consultations number theirs from 001, forums
-- from 101, in the same schema). A process prepares a public policy in ordered phases — seed
-- 001's seven steps of the « Ateliers citoyens », or phases staff name themselves.
CREATE TABLE processes (
    id uuid PRIMARY KEY,
    title text NOT NULL,
    policy text NOT NULL,
    purpose text NOT NULL,
    created_by uuid NOT NULL,
    created_by_name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE process_phases (
    id uuid PRIMARY KEY,
    process_id uuid NOT NULL REFERENCES processes (id),
    position integer NOT NULL CHECK (position >= 1),
    kind text NOT NULL CHECK (kind IN (
        'call_for_contributions', 'launch_forum', 'workshops', 'synthesis_forum', 'orientation_report', 'adoption',
        'public_restitution', 'free'
    )),
    title text NOT NULL DEFAULT '',
    -- Its first and last days, in the region (Europe/Paris).
    starts_on date NOT NULL,
    ends_on date NOT NULL CHECK (ends_on >= starts_on),
    -- Midnight, in the region, of its first day: when it begins.
    starts_at timestamptz NOT NULL,
    description text NOT NULL DEFAULT '',
    consultation_id uuid,
    forum_id uuid,
    survey_id uuid,
    -- [{"title": …, "url": …}], in the order staff gave them.
    documents jsonb NOT NULL DEFAULT '[]',
    -- When `process.phase_started` was queued: once per phase.
    start_announced_at timestamptz,
    UNIQUE (process_id, position)
);

-- The phase-start job looks for phases begun and not yet announced.
CREATE INDEX process_phases_to_announce ON process_phases (starts_at) WHERE start_announced_at IS NULL;
