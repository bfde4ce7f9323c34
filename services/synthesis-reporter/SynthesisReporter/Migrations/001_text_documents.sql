-- The public texts the trends read, kept from their owners' events so that the reporter never
-- reads another schema. A text and moderation's decision on it arrive as separate events, in
-- either order: each has its table, and a text counts once a decision shows it.
CREATE TABLE text_documents (
    source text NOT NULL,
    id uuid NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    -- Given by the sources that carry them (none of today's events do).
    theme text,
    departement text,
    submitted_at timestamptz NOT NULL,
    PRIMARY KEY (source, id)
);

CREATE TABLE text_moderation (
    source text NOT NULL,
    id uuid NOT NULL,
    status text NOT NULL,
    -- Shown on the site: visible, or held after citizens' flags (still reachable by its link).
    shown boolean NOT NULL,
    -- The revision of the last decision applied: an older one arriving late is ignored.
    revision integer NOT NULL,
    -- When a decision first showed the text: its publication, the week it counts in.
    first_shown_at timestamptz,
    PRIMARY KEY (source, id)
);
CREATE INDEX text_moderation_published ON text_moderation (source, first_shown_at) WHERE shown AND status <> 'rejected';
