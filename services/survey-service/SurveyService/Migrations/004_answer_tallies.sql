-- Results read tallies, not answer rows: how many answer rows share a question, kind, value,
-- number and the response's channel and profile, kept up to date by triggers in the
-- transaction that writes the answers. A survey's tallies are as many as the distinct
-- (answer, profile) pairs, however many responses there are, so counts, shares and exact
-- percentiles (from the number of times each number was given) over a million responses read
-- a few thousand rows; a filter keeps the tallies of its profiles, as it keeps answer rows.
-- Cross-tabs still pair answers response by response, so they read `answers`.
CREATE TABLE answer_tallies (
    survey_id uuid NOT NULL,
    question_id text NOT NULL,
    kind text NOT NULL,
    value text NOT NULL,
    number double precision,
    channel text NOT NULL,
    departement text,
    age_band text,
    occupation text,
    association text,
    -- Answer rows with these columns, and among them those that are their answer's first row.
    answers bigint NOT NULL,
    answered bigint NOT NULL,
    CONSTRAINT answer_tallies_key UNIQUE NULLS NOT DISTINCT
        (survey_id, question_id, kind, value, number, channel, departement, age_band, occupation, association)
);

-- Adds the rows a statement inserted and takes away those it deleted, one upsert per distinct
-- key, in key order (two transactions never lock the same tallies in opposite orders within
-- one statement).
CREATE FUNCTION tally_answers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO answer_tallies AS t (survey_id, question_id, kind, value, number, channel, departement, age_band, occupation, association, answers, answered)
        SELECT survey_id, question_id, kind, value, number, channel, departement, age_band, occupation, association,
               -count(*), -count(*) FILTER (WHERE first_of_answer)
        FROM old_answers
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
        ON CONFLICT ON CONSTRAINT answer_tallies_key
        DO UPDATE SET answers = t.answers + excluded.answers, answered = t.answered + excluded.answered;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO answer_tallies AS t (survey_id, question_id, kind, value, number, channel, departement, age_band, occupation, association, answers, answered)
        SELECT survey_id, question_id, kind, value, number, channel, departement, age_band, occupation, association,
               count(*), count(*) FILTER (WHERE first_of_answer)
        FROM new_answers
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
        ON CONFLICT ON CONSTRAINT answer_tallies_key
        DO UPDATE SET answers = t.answers + excluded.answers, answered = t.answered + excluded.answered;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER answers_tallied_on_insert AFTER INSERT ON answers
    REFERENCING NEW TABLE AS new_answers FOR EACH STATEMENT EXECUTE FUNCTION tally_answers();
CREATE TRIGGER answers_tallied_on_update AFTER UPDATE ON answers
    REFERENCING OLD TABLE AS old_answers NEW TABLE AS new_answers FOR EACH STATEMENT EXECUTE FUNCTION tally_answers();
CREATE TRIGGER answers_tallied_on_delete AFTER DELETE ON answers
    REFERENCING OLD TABLE AS old_answers FOR EACH STATEMENT EXECUTE FUNCTION tally_answers();

-- The answers stored before this migration.
INSERT INTO answer_tallies (survey_id, question_id, kind, value, number, channel, departement, age_band, occupation, association, answers, answered)
SELECT survey_id, question_id, kind, value, number, channel, departement, age_band, occupation, association,
       count(*), count(*) FILTER (WHERE first_of_answer)
FROM answers
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
