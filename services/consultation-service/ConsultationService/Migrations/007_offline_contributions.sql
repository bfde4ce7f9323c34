-- Contributions gathered in person and entered by staff: where and when (`collected`, one
-- document: place, day, session, channel), and who entered them. Online ones have none.
ALTER TABLE contributions ADD COLUMN collected jsonb;
ALTER TABLE contributions ADD COLUMN entered_by uuid;
ALTER TABLE contributions ADD COLUMN entered_by_name text;
ALTER TABLE contributions ADD CONSTRAINT contributions_collected_in_person
    CHECK ((origin = 'in_person') = (collected IS NOT NULL) AND (collected IS NULL) = (entered_by IS NULL));

-- Supports of a proposal gathered on paper, entered by staff in batches like petitions' paper
-- signatures: counted apart (`paper_support_count`), never mixed with the supports given
-- online (one per account, in `contribution_supports`). Staff enter few batches, so the count
-- is one column rather than slots.
CREATE TABLE contribution_paper_supports (
    id uuid PRIMARY KEY,
    contribution_id uuid NOT NULL REFERENCES contributions (id),
    support_count integer NOT NULL CHECK (support_count BETWEEN 1 AND 100000),
    collected_on date NOT NULL,
    place text NOT NULL,
    entered_by uuid NOT NULL,
    entered_by_name text NOT NULL,
    entered_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contribution_paper_supports_by_contribution ON contribution_paper_supports (contribution_id, entered_at);
ALTER TABLE contributions ADD COLUMN paper_support_count integer NOT NULL DEFAULT 0 CHECK (paper_support_count >= 0);
