-- Erasure in forums (account.erased): an erased person's reactions and statement answers
-- keep counting but belong to no account any more (their account becomes NULL). One
-- reaction per account and post, and one pseudonym per account and forum, still hold for
-- everyone else: the primary keys become unique constraints, where NULLs are distinct.
ALTER TABLE forum_reactions DROP CONSTRAINT forum_reactions_pkey;
ALTER TABLE forum_reactions ALTER COLUMN account_id DROP NOT NULL;
ALTER TABLE forum_reactions ADD CONSTRAINT forum_reactions_once_per_account UNIQUE (post_id, account_id);

ALTER TABLE forum_statement_participants DROP CONSTRAINT forum_statement_participants_pkey;
ALTER TABLE forum_statement_participants ALTER COLUMN account_id DROP NOT NULL;
ALTER TABLE forum_statement_participants ADD CONSTRAINT forum_statement_participants_once_per_account UNIQUE (forum_id, account_id);

-- Erasure finds a person's threads and statements by account (posts have their index).
CREATE INDEX forum_threads_by_author ON forum_threads (author_account_id);
CREATE INDEX forum_statements_by_author ON forum_statements (author_account_id);
CREATE INDEX forum_reactions_by_account ON forum_reactions (account_id);
