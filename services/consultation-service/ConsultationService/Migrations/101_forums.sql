-- Forums (numbered from 101: contributions and consultations, in the same schema, number
-- theirs from 001). A forum is opened by staff on a theme with the question it puts; threads
-- hold posts, each post sent to moderation and shown only once moderation lets it through.
CREATE TABLE forums (
    id uuid PRIMARY KEY,
    title text NOT NULL,
    theme text NOT NULL,
    question text NOT NULL,
    description text NOT NULL DEFAULT '',
    opens_at timestamptz NOT NULL,
    closes_at timestamptz NOT NULL CHECK (closes_at > opens_at),
    -- moderation's modes: 'pre' hidden until a moderator publishes, 'post' shown once checked.
    moderation_mode text NOT NULL CHECK (moderation_mode IN ('pre', 'post')),
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_by uuid NOT NULL,
    created_by_name text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    closed_at timestamptz
);

CREATE INDEX forums_by_opening ON forums (opens_at DESC);

CREATE TABLE forum_threads (
    id uuid PRIMARY KEY,
    forum_id uuid NOT NULL REFERENCES forums (id),
    title text NOT NULL,
    -- The thread is shown while its opening post is.
    opening_post_id uuid NOT NULL,
    author_account_id uuid,
    author_name text,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- The last post shown in it (its opening, at first): the list sorts on it.
    last_activity_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX forum_threads_by_activity ON forum_threads (forum_id, last_activity_at DESC);

CREATE TABLE forum_posts (
    id uuid PRIMARY KEY,
    thread_id uuid NOT NULL REFERENCES forum_threads (id),
    -- The order of posts in threads, whatever their clocks.
    position bigint GENERATED ALWAYS AS IDENTITY,
    -- One level of nesting: a reply's parent is a top-level post (the service flattens deeper ones).
    parent_post_id uuid REFERENCES forum_posts (id),
    quoted_post_id uuid REFERENCES forum_posts (id),
    author_account_id uuid,
    author_name text,
    body text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    visible boolean NOT NULL DEFAULT false,
    moderation_status text NOT NULL DEFAULT 'pending',
    -- The revision of the last decision applied: an older one is ignored.
    moderation_revision integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    edited_at timestamptz,
    -- First shown (forum_post.published is emitted then, once).
    published_at timestamptz
);

CREATE INDEX forum_posts_by_thread ON forum_posts (thread_id, parent_post_id, position);
CREATE INDEX forum_posts_by_author ON forum_posts (author_account_id);
