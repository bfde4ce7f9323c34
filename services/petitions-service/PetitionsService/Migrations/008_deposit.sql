-- Citizens deposit petitions: besides what it asks (`body`), a petition says why
-- (`reasons`) and may name a theme (a code of the list in the contracts, shown with its
-- French label). Petitions created before have no reasons.
ALTER TABLE petitions
    ADD COLUMN reasons text NOT NULL DEFAULT '',
    ADD COLUMN theme text;
-- The reasons are searched too (similar petitions, search by words), weighing less than
-- what is asked. A generated column cannot change its expression: it is made again.
ALTER TABLE petitions DROP COLUMN search;
ALTER TABLE petitions ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('french', title), 'A') || setweight(to_tsvector('french', body), 'B')
        || setweight(to_tsvector('french', reasons), 'C')
) STORED;
CREATE INDEX petitions_search ON petitions USING gin (search);
-- "Mes pétitions": an author's petitions, newest first.
CREATE INDEX petitions_by_author ON petitions (author_account_id, created_at DESC) WHERE author_account_id IS NOT NULL;
