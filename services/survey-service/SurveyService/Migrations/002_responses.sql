-- Responses and their answers. A response keeps the profile its person gave that day
-- (département, age band, occupation, association), never their current one, so published
-- breakdowns do not drift. Its answers are rows, one per answered question (one per chosen
-- option, ranked option or matrix row), so that every result is an SQL aggregate over an
-- index and nothing loads all the answers into memory.
CREATE TABLE responses (
    id uuid PRIMARY KEY,
    survey_id uuid NOT NULL REFERENCES surveys (id),
    -- Who answered on the site; both stay NULL for a paper or in-person questionnaire, and
    -- become NULL when the person erases their account (the response itself stays).
    account_id uuid,
    email_normalized text,
    channel text NOT NULL CHECK (channel IN ('web', 'paper', 'in_person')),
    departement text,
    age_band text,
    occupation text,
    association text,
    entered_by uuid,
    entered_by_name text,
    -- When the gateway took the response, and the person's last edit, if any.
    submitted_at timestamptz NOT NULL,
    revised_at timestamptz,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    CHECK (channel = 'web' OR entered_by IS NOT NULL)
);

-- One response per person and survey, whatever replica stores it: by account and by address.
CREATE UNIQUE INDEX responses_one_per_account ON responses (survey_id, account_id) WHERE account_id IS NOT NULL;
CREATE UNIQUE INDEX responses_one_per_address ON responses (survey_id, email_normalized) WHERE email_normalized IS NOT NULL;
-- Results filter a survey's responses by channel and profile.
CREATE INDEX responses_by_survey ON responses (survey_id) INCLUDE (channel, departement, age_band, occupation, association);
-- account.erased finds a person's responses in every survey.
CREATE INDEX responses_by_account ON responses (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX responses_by_address ON responses (email_normalized) WHERE email_normalized IS NOT NULL;

-- One row per answered question, or per chosen option, ranked option or rated matrix row.
--   kind     value             number        text / day
--   option   the option id
--   other    '*other'                        the « précisez » text
--   rank     the option id     its position (1 = first)
--   point    the scale point   the point
--   row      the matrix row id the point
--   number   ''                the number
--   text     ''                              the text
--   date     ''                              day
--   place    the place code
-- `value` is what counts and breakdowns group by; option ids never contain '*'.
-- Each row repeats its response's channel and profile, so that results filter the rows they
-- aggregate without joining every response (an edit rewrites the rows with its profile).
CREATE TABLE answers (
    response_id uuid NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    survey_id uuid NOT NULL,
    question_id text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('option', 'other', 'rank', 'point', 'row', 'number', 'text', 'date', 'place')),
    value text NOT NULL DEFAULT '',
    number double precision,
    text text,
    day date,
    -- The id a free text has in moderation (`survey_answer.submitted`).
    text_id uuid UNIQUE,
    -- True on one row of each answered question: how many answered is a count, not a count(DISTINCT).
    first_of_answer boolean NOT NULL,
    channel text NOT NULL,
    departement text,
    age_band text,
    occupation text,
    association text,
    PRIMARY KEY (response_id, question_id, value)
);

-- Counts and summaries per question read this index, not the table.
CREATE INDEX answers_by_question ON answers (survey_id, question_id, kind, value) INCLUDE (response_id, number);
