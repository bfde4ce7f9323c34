-- Short statements of a forum (issue 13): submitted by participants, moderated like posts,
-- answered once by each participant (d'accord, pas d'accord, je passe).
CREATE TABLE forum_statements (
    id uuid PRIMARY KEY,
    forum_id uuid NOT NULL REFERENCES forums (id),
    body text NOT NULL CHECK (length(body) BETWEEN 1 AND 140),
    author_account_id uuid,
    author_name text,
    visible boolean NOT NULL DEFAULT false,
    moderation_status text NOT NULL DEFAULT 'pending',
    -- The revision of the last decision applied: an older one is ignored.
    moderation_revision integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- The statement's extremity on the forum's latest opinion map (forum.opinion_map_updated):
    -- the E of the next-statement priority, 0 until a map places it.
    extremity double precision NOT NULL DEFAULT 0 CHECK (extremity >= 0)
);

CREATE INDEX forum_statements_by_forum ON forum_statements (forum_id, created_at);

-- Who answers statements, under a pseudonym per forum: the events and the synthesis reporter
-- know the participant id only, never the account.
CREATE TABLE forum_statement_participants (
    forum_id uuid NOT NULL REFERENCES forums (id),
    account_id uuid NOT NULL,
    participant_id uuid NOT NULL UNIQUE,
    PRIMARY KEY (forum_id, account_id)
);

-- One answer per participant and statement: the primary key keeps the first, and the
-- next-statement choice never proposes a statement answered.
CREATE TABLE forum_statement_votes (
    statement_id uuid NOT NULL REFERENCES forum_statements (id),
    participant_id uuid NOT NULL REFERENCES forum_statement_participants (participant_id),
    vote text NOT NULL CHECK (vote IN ('agree', 'disagree', 'pass')),
    voted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (statement_id, participant_id)
);

CREATE INDEX forum_statement_votes_by_participant ON forum_statement_votes (participant_id);

-- When the map whose extremities the statements carry was computed: an older map arriving
-- late changes nothing.
ALTER TABLE forums ADD COLUMN opinion_map_computed_at timestamptz;
