-- The lifecycle after the threshold: referred to the assembly → answered → closed.
ALTER TABLE petitions
    ADD COLUMN referred_at timestamptz,
    ADD COLUMN answer_decision text,
    ADD COLUMN answer_text text,
    ADD COLUMN answer_report_url text,
    ADD COLUMN answered_at timestamptz,
    ADD COLUMN closed_at timestamptz,
    -- Why staff closed it (required for an early closing), or the note on closing an answered one.
    ADD COLUMN closing_reason text,
    -- An answer is whole or absent.
    ADD CONSTRAINT petitions_answer_whole CHECK (
        (answered_at IS NULL AND answer_decision IS NULL AND answer_text IS NULL AND answer_report_url IS NULL)
        OR (answered_at IS NOT NULL AND answer_decision IS NOT NULL AND answer_text IS NOT NULL)
    );

-- Every change of a petition's status, whoever makes it (staff, moderation, the threshold,
-- the end of the collection). Written by a trigger so that no code path can forget it; the
-- staff action's author and note come from transaction-local settings
-- (`dialogue.actor_id`, `dialogue.actor_name`, `dialogue.transition_note`), absent for the
-- platform's own changes.
CREATE TABLE status_changes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    petition_id uuid NOT NULL REFERENCES petitions (id),
    from_status text NOT NULL,
    to_status text NOT NULL,
    changed_by uuid,
    changed_by_name text,
    note text,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX status_changes_by_petition ON status_changes (petition_id, id);

-- `SET search_path FROM CURRENT`: the table is found whoever updates (the service, or an
-- administrator's session).
CREATE FUNCTION record_status_change() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO status_changes (petition_id, from_status, to_status, changed_by, changed_by_name, note)
    VALUES (
        NEW.id, OLD.status, NEW.status,
        nullif(current_setting('dialogue.actor_id', true), '')::uuid,
        nullif(current_setting('dialogue.actor_name', true), ''),
        nullif(current_setting('dialogue.transition_note', true), '')
    );
    RETURN NEW;
END
$$;
CREATE TRIGGER petitions_status_history AFTER UPDATE OF status ON petitions
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION record_status_change();

-- Signatories who asked to be told of the answer are mailed once each, a chunk at a time;
-- this marks the ones already told, so the job resumes where it stopped.
ALTER TABLE signatures ADD COLUMN answer_notified_at timestamptz;
CREATE INDEX signatures_awaiting_answer_notice ON signatures (petition_id, id)
    WHERE wants_answer AND answer_notified_at IS NULL AND confirmed_at IS NOT NULL AND invalidated_at IS NULL;
-- The answered petitions whose signatories may still wait for their notice.
CREATE INDEX petitions_answered ON petitions (answered_at) WHERE answered_at IS NOT NULL;
