-- A contribution its author withdrew (with a reason) stays stored, no longer shown nor supportable.
ALTER TABLE contributions ADD COLUMN withdrawn_at timestamptz;
ALTER TABLE contributions ADD COLUMN withdrawal_reason text;

-- Supports of proposals: one row per person and proposal (the primary key keeps parallel
-- requests to one), withdrawn and given again by moving `withdrawn_at`.
CREATE TABLE contribution_supports (
    contribution_id uuid NOT NULL REFERENCES contributions (id),
    account_id uuid NOT NULL,
    supported_at timestamptz NOT NULL DEFAULT now(),
    withdrawn_at timestamptz,
    PRIMARY KEY (contribution_id, account_id)
);

CREATE INDEX contribution_supports_by_account ON contribution_supports (account_id) WHERE withdrawn_at IS NULL;

-- The count of a proposal's supports, spread over 16 slots chosen by the supporter: people
-- supporting the same proposal at once update different rows instead of queuing on one.
CREATE TABLE contribution_support_counts (
    contribution_id uuid NOT NULL REFERENCES contributions (id),
    slot smallint NOT NULL CHECK (slot BETWEEN 0 AND 15),
    supports integer NOT NULL,
    PRIMARY KEY (contribution_id, slot)
);

-- The schema of the migration, whoever changes the supports.
CREATE FUNCTION count_contribution_support_changes() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    change integer := 0;
    row_changed contribution_supports;
BEGIN
    IF TG_OP = 'INSERT' THEN
        row_changed := NEW;
        IF NEW.withdrawn_at IS NULL THEN change := 1; END IF;
    ELSIF TG_OP = 'UPDATE' THEN
        row_changed := NEW;
        change := (CASE WHEN NEW.withdrawn_at IS NULL THEN 1 ELSE 0 END) - (CASE WHEN OLD.withdrawn_at IS NULL THEN 1 ELSE 0 END);
    ELSE
        row_changed := OLD;
        IF OLD.withdrawn_at IS NULL THEN change := -1; END IF;
    END IF;
    IF change <> 0 THEN
        INSERT INTO contribution_support_counts AS counts (contribution_id, slot, supports)
        VALUES (row_changed.contribution_id, abs(hashtext(row_changed.account_id::text)) % 16, change)
        ON CONFLICT (contribution_id, slot) DO UPDATE SET supports = counts.supports + excluded.supports;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER contribution_supports_counted AFTER INSERT OR UPDATE OR DELETE ON contribution_supports
    FOR EACH ROW EXECUTE FUNCTION count_contribution_support_changes();
