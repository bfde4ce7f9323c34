-- How each content type is moderated (staff change it in the back-office).
CREATE TABLE policies (
    content_type text PRIMARY KEY,
    -- pre: hidden until approved; post: published at once, reviewed after.
    mode text NOT NULL CHECK (mode IN ('pre', 'post')),
    -- At or above this score an item is held hidden, whatever the mode (101: never).
    hold_score integer NOT NULL CHECK (hold_score BETWEEN 1 AND 101),
    -- This many citizens' flags hold a visible item hidden until a moderator looks.
    flags_to_hold integer NOT NULL CHECK (flags_to_hold >= 1),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text
);
INSERT INTO policies (content_type, mode, hold_score, flags_to_hold) VALUES
    ('petition', 'pre', 60, 3),
    ('forum_post', 'post', 60, 3),
    ('testimony', 'pre', 60, 3),
    ('proposal', 'post', 60, 3),
    ('survey_answer', 'pre', 60, 3);

-- The reasons moderators pick from (decision) and citizens flag with (flag). Deactivated,
-- never deleted: past decisions name them.
CREATE TABLE reasons (
    code text PRIMARY KEY CHECK (code ~ '^[a-z0-9_]{2,40}$'),
    label text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('decision', 'flag')),
    active boolean NOT NULL DEFAULT true,
    position integer NOT NULL DEFAULT 0
);
INSERT INTO reasons (code, label, kind, position) VALUES
    ('donnees_personnelles', 'Le texte contient des données personnelles (adresse, téléphone, courriel…).', 'decision', 1),
    ('propos_injurieux', 'Le texte contient des propos injurieux, haineux ou discriminatoires.', 'decision', 2),
    ('hors_sujet', 'Le texte ne relève pas des compétences de la Région ni des travaux du CESER.', 'decision', 3),
    ('doublon', 'Un texte très proche a déjà été déposé.', 'decision', 4),
    ('publicite', 'Le texte est publicitaire ou renvoie vers des liens indésirables.', 'decision', 5),
    ('incomprehensible', 'Le texte n''est pas compréhensible en l''état.', 'decision', 6),
    ('injure', 'Propos injurieux, haineux ou discriminatoires', 'flag', 1),
    ('donnees', 'Données personnelles', 'flag', 2),
    ('spam', 'Publicité ou liens indésirables', 'flag', 3),
    ('autre', 'Autre raison', 'flag', 4);

-- One item per submitted content; a content submitted again (edited) is reviewed again.
CREATE TABLE items (
    id uuid PRIMARY KEY,
    content_type text NOT NULL,
    content_id uuid NOT NULL,
    owner_service text NOT NULL,
    title text,
    body text NOT NULL,
    author_account_id uuid,
    author_name text,
    consultation_id uuid,
    public_path text,
    submitted_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'published', 'retained', 'not_retained', 'rejected')),
    visible boolean NOT NULL,
    -- The highest score of the automatic findings, and the findings themselves.
    score integer NOT NULL DEFAULT 0,
    findings jsonb NOT NULL DEFAULT '[]',
    -- MinHash of the normalised text, and its LSH band keys (near-duplicate candidates).
    fingerprint bigint[] NOT NULL,
    shingle_count integer NOT NULL,
    band_keys bigint[] NOT NULL,
    flag_count integer NOT NULL DEFAULT 0,
    -- Raised by each decision: a moderator's decision names the revision it was made on.
    revision integer NOT NULL DEFAULT 1,
    decided_by uuid,
    decided_by_name text,
    decided_at timestamptz,
    reason_code text REFERENCES reasons (code),
    comment text,
    UNIQUE (content_type, content_id)
);
-- The queue: oldest first within a status; pages hold with thousands of items.
CREATE INDEX items_queue ON items (status, submitted_at, id);
CREATE INDEX items_band_keys ON items USING gin (band_keys);
CREATE INDEX items_by_author ON items (author_account_id) WHERE author_account_id IS NOT NULL;
CREATE INDEX items_by_consultation ON items (consultation_id) WHERE consultation_id IS NOT NULL;

-- Every decision, by a moderator or a rule: who, when, before and after.
CREATE TABLE decisions (
    sequence bigserial PRIMARY KEY,
    item_id uuid NOT NULL REFERENCES items (id),
    before_status text,
    after_status text NOT NULL,
    visible_after boolean NOT NULL,
    reason_code text,
    reason_label text,
    comment text,
    decided_by uuid,
    decided_by_name text NOT NULL,
    rule text,
    decided_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX decisions_by_item ON decisions (item_id, sequence);

-- Citizens' flags: one per person and item.
CREATE TABLE flags (
    item_id uuid NOT NULL REFERENCES items (id),
    reporter_key text NOT NULL,
    reason_code text NOT NULL REFERENCES reasons (code),
    comment text,
    flagged_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (item_id, reporter_key)
);

CREATE TABLE blocked_accounts (
    account_id uuid PRIMARY KEY,
    hide_content boolean NOT NULL,
    reason text NOT NULL,
    blocked_by uuid NOT NULL,
    blocked_by_name text NOT NULL,
    blocked_at timestamptz NOT NULL DEFAULT now()
);

-- When staff were last told the queue needs attention; `armed` once the queue is back
-- under its limits, so one alert is sent per episode, not one per item.
CREATE TABLE queue_alert (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    armed boolean NOT NULL DEFAULT true,
    last_alert_at timestamptz
);
INSERT INTO queue_alert DEFAULT VALUES;
