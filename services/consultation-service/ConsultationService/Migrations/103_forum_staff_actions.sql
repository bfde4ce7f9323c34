-- What staff do in a running forum: pinned posts, closed threads and their conclusion,
-- threads merged into another, the forum's own conclusion once it ended.
ALTER TABLE forum_posts ADD COLUMN pinned boolean NOT NULL DEFAULT false;

ALTER TABLE forum_threads ADD COLUMN conclusion text;
ALTER TABLE forum_threads ADD COLUMN closed_at timestamptz;
-- A merged thread keeps its row so that its link leads to the thread it joined.
ALTER TABLE forum_threads ADD COLUMN merged_into uuid REFERENCES forum_threads (id);
ALTER TABLE forum_threads ADD CONSTRAINT closed_threads_have_a_conclusion CHECK (status = 'open' OR conclusion IS NOT NULL);

ALTER TABLE forums ADD COLUMN conclusion text;
ALTER TABLE forums ADD COLUMN concluded_at timestamptz;
