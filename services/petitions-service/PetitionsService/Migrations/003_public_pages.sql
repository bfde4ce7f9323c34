-- Search by words in French (stemmed: « lycées » finds « lycée »), title weighing more.
ALTER TABLE petitions ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('french', title), 'A') || setweight(to_tsvector('french', body), 'B')
) STORED;
CREATE INDEX petitions_search ON petitions USING gin (search);
-- The public lists: visible petitions by status, most signed or newest first.
CREATE INDEX petitions_public_by_count ON petitions (status, signature_count DESC) WHERE visible;
CREATE INDEX petitions_public_by_opening ON petitions (status, opened_at DESC) WHERE visible;
-- Signatures per day of a petition.
CREATE INDEX signatures_by_petition_and_time ON signatures (petition_id, signed_at);
