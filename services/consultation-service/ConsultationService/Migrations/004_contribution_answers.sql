-- Accountability: what became of each contribution, as staff set it. `answer_status` is what
-- lists and the balance sheet filter on; `answer` is the whole of staff's say (status, public
-- answer, reason, report link, date) as one document, nil until staff first change it.
ALTER TABLE contributions ADD COLUMN answer_status text NOT NULL DEFAULT 'received'
    CHECK (answer_status IN ('received', 'under_study', 'retained', 'not_retained', 'in_report'));
ALTER TABLE contributions ADD COLUMN answer jsonb;
-- The first time staff answered it: the balance sheet's time to an answer.
ALTER TABLE contributions ADD COLUMN first_answered_at timestamptz;

CREATE INDEX contributions_by_answer ON contributions (consultation_id, answer_status);
