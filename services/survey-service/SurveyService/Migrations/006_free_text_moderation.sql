-- Moderation's decision on each free text (`survey_answer`: a text answer or an « autre,
-- précisez »), applied from `moderation.decision_made`: a text is listed only once moderation
-- published it. NULL status: no decision yet (pending). Metadata-only changes: no table rewrite.
ALTER TABLE answers
    ADD COLUMN moderation_status text,
    ADD COLUMN moderation_listed boolean NOT NULL DEFAULT false,
    ADD COLUMN moderation_revision integer NOT NULL DEFAULT 0;

-- The staff list of a question's published texts reads only those rows.
CREATE INDEX answers_listed_texts ON answers (survey_id, question_id) WHERE moderation_listed;
