-- Consultations' contributions and forums' posts join the petitions in the read model.
-- Their events give more than a petition's: the kind and origin of a contribution, and its
-- author's account where the event carries it (forum posts, petitions), kept only so that an
-- erased account's link can be forgotten (`account.erased`).
ALTER TABLE text_documents
    ADD COLUMN kind text,
    ADD COLUMN theme_label text,
    ADD COLUMN origin text,
    ADD COLUMN author_account_id uuid;
CREATE INDEX text_documents_author ON text_documents (author_account_id) WHERE author_account_id IS NOT NULL;

-- Where a text belongs: a contribution's consultation, a post's forum (and thread). Its own
-- table because a forum post's place (`forum_post.published`) and its text
-- (`forum_post.submitted`) arrive as separate events, in either order.
CREATE TABLE text_scopes (
    source text NOT NULL,
    id uuid NOT NULL,
    scope_id uuid NOT NULL,
    thread_id uuid,
    PRIMARY KEY (source, id)
);
CREATE INDEX text_scopes_scope ON text_scopes (scope_id, source);

-- The consultations' and forums' titles, from their opening events, for staff to choose one.
CREATE TABLE scope_titles (
    scope_id uuid PRIMARY KEY,
    source text NOT NULL,
    title text NOT NULL
);
