-- French full-text search of contributions, for the suggestions shown while a proposal is
-- written: the title weighs most, then what it says, then why.
ALTER TABLE contributions ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('french', title), 'A') || setweight(to_tsvector('french', body), 'B')
        || setweight(to_tsvector('french', coalesce(reasons, '')), 'C')
) STORED;
CREATE INDEX contributions_search ON contributions USING gin (search);
