-- Comments on contributions, with one level of replies (`parent_id` names a top-level
-- comment), each shown only when moderation says so (`visible`); `moderation_revision`
-- keeps a late, older decision from undoing a newer one.
CREATE TABLE contribution_comments (
    id uuid PRIMARY KEY,
    contribution_id uuid NOT NULL REFERENCES contributions (id),
    parent_id uuid REFERENCES contribution_comments (id),
    author_account_id uuid NOT NULL,
    author_name text,
    body text NOT NULL,
    visible boolean NOT NULL DEFAULT false,
    moderation_status text NOT NULL DEFAULT 'pending',
    moderation_revision integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- The first time it was shown (`contribution.commented` is queued then, once).
    published_at timestamptz,
    CHECK (parent_id IS DISTINCT FROM id)
);

CREATE INDEX contribution_comments_top ON contribution_comments (contribution_id, created_at, id) WHERE parent_id IS NULL;
CREATE INDEX contribution_comments_replies ON contribution_comments (parent_id, created_at, id) WHERE parent_id IS NOT NULL;
