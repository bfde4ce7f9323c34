-- The counts of a petition's page (by day, Paris time, and by département), kept as the
-- signatures change instead of counted from every signature on each read: a petition with
-- a million signatures reads a few hundred rows. Statement-level triggers add up what each
-- statement changed among the counted signatures (confirmed, not invalidated), so a batch
-- moves each (day, département) once, and a change that leaves a signature where it
-- counts (an erasure's anonymisation) moves nothing.
CREATE TABLE signature_counts (
    petition_id uuid NOT NULL REFERENCES petitions (id),
    day date NOT NULL,
    -- '' for a postcode outside Hauts-de-France.
    departement text NOT NULL,
    signatures integer NOT NULL,
    PRIMARY KEY (petition_id, day, departement)
);

-- The schema of the migration, whoever changes the signatures (a probe, a later tool).
CREATE FUNCTION count_signature_changes() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO signature_counts AS counts (petition_id, day, departement, signatures)
        SELECT petition_id, (signed_at AT TIME ZONE 'Europe/Paris')::date, coalesce(departement, ''), count(*)
        FROM new_rows WHERE confirmed_at IS NOT NULL AND invalidated_at IS NULL
        GROUP BY 1, 2, 3
        ON CONFLICT (petition_id, day, departement) DO UPDATE SET signatures = counts.signatures + excluded.signatures;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO signature_counts AS counts (petition_id, day, departement, signatures)
        SELECT petition_id, day, departement, sum(change) FROM (
            SELECT petition_id, (signed_at AT TIME ZONE 'Europe/Paris')::date AS day, coalesce(departement, '') AS departement, 1 AS change
            FROM new_rows WHERE confirmed_at IS NOT NULL AND invalidated_at IS NULL
            UNION ALL
            SELECT petition_id, (signed_at AT TIME ZONE 'Europe/Paris')::date, coalesce(departement, ''), -1
            FROM old_rows WHERE confirmed_at IS NOT NULL AND invalidated_at IS NULL
        ) AS changes
        GROUP BY 1, 2, 3 HAVING sum(change) <> 0
        ON CONFLICT (petition_id, day, departement) DO UPDATE SET signatures = counts.signatures + excluded.signatures;
    ELSE
        INSERT INTO signature_counts AS counts (petition_id, day, departement, signatures)
        SELECT petition_id, (signed_at AT TIME ZONE 'Europe/Paris')::date, coalesce(departement, ''), -count(*)
        FROM old_rows WHERE confirmed_at IS NOT NULL AND invalidated_at IS NULL
        GROUP BY 1, 2, 3
        ON CONFLICT (petition_id, day, departement) DO UPDATE SET signatures = counts.signatures + excluded.signatures;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER signature_counts_on_insert AFTER INSERT ON signatures
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_signature_changes();
CREATE TRIGGER signature_counts_on_update AFTER UPDATE ON signatures
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION count_signature_changes();
CREATE TRIGGER signature_counts_on_delete AFTER DELETE ON signatures
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION count_signature_changes();

INSERT INTO signature_counts (petition_id, day, departement, signatures)
SELECT petition_id, (signed_at AT TIME ZONE 'Europe/Paris')::date, coalesce(departement, ''), count(*)
FROM signatures WHERE confirmed_at IS NOT NULL AND invalidated_at IS NULL
GROUP BY 1, 2, 3;

-- The latest signatories who show their name, read without scanning the petition's signatures.
CREATE INDEX signatures_shown_names ON signatures (petition_id, confirmed_at DESC)
    WHERE show_name AND confirmed_at IS NOT NULL AND invalidated_at IS NULL;
