-- The opinion maps of forums (numbered from 101: the text trends number theirs from 001).
-- Votes on statements kept from `statement.voted`, under the participant's pseudonym; each
-- forum's latest map (recomputed after every N new votes) in the tables below, replaced whole.
CREATE TABLE statement_votes (
    forum_id uuid NOT NULL,
    statement_id uuid NOT NULL,
    participant_id uuid NOT NULL,
    -- As the OpinionMap library encodes votes: agree = 1, disagree = -1, pass = 0.
    vote smallint NOT NULL CHECK (vote IN (-1, 0, 1)),
    voted_at timestamptz NOT NULL,
    PRIMARY KEY (forum_id, statement_id, participant_id)
);

-- One row per forum with votes: the votes since the last recompute, and that recompute's
-- outcome. `state` (OpinionMapState, JSON) warm-starts the next recompute.
CREATE TABLE opinion_maps (
    forum_id uuid PRIMARY KEY,
    votes_since_recompute integer NOT NULL DEFAULT 0,
    computed_at timestamptz,
    qualifying_participants integer NOT NULL DEFAULT 0,
    shown boolean NOT NULL DEFAULT false,
    state jsonb,
    -- The participants as anonymous dots: [{"x":…,"y":…,"group":…}].
    points jsonb NOT NULL DEFAULT '[]'
);

-- Groups numbered from 0, the largest first.
CREATE TABLE opinion_map_groups (
    forum_id uuid NOT NULL REFERENCES opinion_maps (forum_id),
    group_index integer NOT NULL,
    size integer NOT NULL,
    centre_x double precision NOT NULL,
    centre_y double precision NOT NULL,
    PRIMARY KEY (forum_id, group_index)
);

-- What a group thinks distinctively (representative statements), the most distinctive first;
-- and the statements across groups: consensus (every group the same way) and divisive.
CREATE TABLE opinion_map_representatives (
    forum_id uuid NOT NULL REFERENCES opinion_maps (forum_id),
    group_index integer NOT NULL,
    rank integer NOT NULL,
    statement_id uuid NOT NULL,
    direction text NOT NULL CHECK (direction IN ('agree', 'disagree')),
    votes integer NOT NULL,
    voters integer NOT NULL,
    PRIMARY KEY (forum_id, group_index, rank)
);

CREATE TABLE opinion_map_consensus (
    forum_id uuid NOT NULL REFERENCES opinion_maps (forum_id),
    rank integer NOT NULL,
    statement_id uuid NOT NULL,
    direction text NOT NULL CHECK (direction IN ('agree', 'disagree')),
    -- Per group, in the groups' order: [{"votes":…,"voters":…}].
    by_group jsonb NOT NULL,
    PRIMARY KEY (forum_id, rank)
);

CREATE TABLE opinion_map_divisive (
    forum_id uuid NOT NULL REFERENCES opinion_maps (forum_id),
    rank integer NOT NULL,
    statement_id uuid NOT NULL,
    agreeing_groups bigint[] NOT NULL,
    disagreeing_groups bigint[] NOT NULL,
    PRIMARY KEY (forum_id, rank)
);

-- How far each statement pulls participants across the map (0…1), announced to the
-- consultation service for the next-statement priority.
CREATE TABLE opinion_map_extremities (
    forum_id uuid NOT NULL REFERENCES opinion_maps (forum_id),
    statement_id uuid NOT NULL,
    extremity double precision NOT NULL,
    PRIMARY KEY (forum_id, statement_id)
);
