-- The one image or PDF a citizen may attach to a contribution, checked by its content before
-- it is stored. Kept as bytea beside the contribution rather than in an object store: at most
-- 5 MiB each and one per contribution, it is written in the contribution's own transaction
-- (nothing half-stored), goes with the schema's backups, and is deleted in the same statement
-- that withdraws or erases the contribution; PostgreSQL stores it out of line (TOAST), so the
-- lists, which never select `content`, do not read it.
CREATE TABLE contribution_attachments (
    contribution_id uuid PRIMARY KEY REFERENCES contributions (id) ON DELETE CASCADE,
    type text NOT NULL CHECK (type IN ('png', 'jpeg', 'webp', 'pdf')),
    -- The name it is served under: the sent name, cleaned, with the checked type's extension.
    filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 120),
    -- What an image shows (its text alternative), required for an image.
    description text CHECK (description IS NULL OR length(description) BETWEEN 3 AND 250),
    byte_count integer NOT NULL CHECK (byte_count BETWEEN 1 AND 5242880),
    content bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (type = 'pdf' OR description IS NOT NULL)
);
