-- Testimonies and proposals, on one theme of one consultation. Shown only when moderation
-- says so (`visible`); `moderation_revision` keeps a late, older decision from undoing a newer one.
CREATE TABLE contributions (
    id uuid PRIMARY KEY,
    consultation_id uuid NOT NULL REFERENCES consultations (id),
    kind text NOT NULL CHECK (kind IN ('testimony', 'proposal')),
    theme text NOT NULL,
    -- The theme's label when the contribution was written (events carry it; staff may rename it).
    theme_label text NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    reasons text,
    commune text,
    origin text NOT NULL DEFAULT 'online' CHECK (origin IN ('online', 'in_person')),
    author_account_id uuid,
    author_name text,
    -- For the synthesis, where the author's profile gives them; never an e-mail.
    author_departement text,
    author_age_band text,
    visible boolean NOT NULL DEFAULT false,
    moderation_status text NOT NULL DEFAULT 'pending',
    moderation_reason text,
    moderation_revision integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- The first time it was shown (`contribution.published` is queued then, once).
    published_at timestamptz,
    CHECK ((kind = 'proposal') = (reasons IS NOT NULL)),
    CHECK (kind = 'testimony' OR commune IS NULL)
);

CREATE INDEX contributions_shown ON contributions (consultation_id, created_at DESC) WHERE visible;
CREATE INDEX contributions_by_author ON contributions (author_account_id, created_at DESC) WHERE author_account_id IS NOT NULL;
CREATE INDEX contributions_by_theme ON contributions (consultation_id, theme);
