-- Exports read a survey's responses page by page in id order (keyset): each page is one range
-- of this index, however far the export has gone.
CREATE INDEX responses_by_survey_id ON responses (survey_id, id);
