-- Reactions to posts: one per person and post (the primary key decides between requests
-- arriving together), changed in place.
CREATE TABLE forum_reactions (
    post_id uuid NOT NULL REFERENCES forum_posts (id),
    account_id uuid NOT NULL,
    reaction text NOT NULL CHECK (reaction IN ('agree', 'disagree', 'pass')),
    reacted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (post_id, account_id)
);

-- Threads sorted by the reactions to their posts read this count, kept with each reaction.
ALTER TABLE forum_threads ADD COLUMN reaction_count integer NOT NULL DEFAULT 0;
