-- Petitions go through moderation before they open. `status` is the petition's lifecycle
-- (in_moderation → open → threshold_reached …, or rejected); `visible` is moderation's say
-- on showing it, which may change at any time (held after flags, published again).
ALTER TABLE petitions
    ADD COLUMN author_account_id uuid,
    ADD COLUMN author_name text,
    ADD COLUMN visible boolean NOT NULL DEFAULT true,
    -- The revision of the last moderation decision applied: an older one arriving late is ignored.
    ADD COLUMN moderation_revision integer NOT NULL DEFAULT 0,
    ADD COLUMN moderation_status text,
    ADD COLUMN moderation_reason text,
    ADD COLUMN opened_at timestamptz;
UPDATE petitions SET opened_at = created_at WHERE status <> 'in_moderation';
