-- Forum statements and comments on contributions came after 001 seeded the policies: without
-- a row they fell back to the safe default (held before publication) and staff could not
-- see or change their policy in the back-office. Both are discussion, like forum posts:
-- published at once and reviewed after, unless their forum or consultation says otherwise
-- (a submission's own mode wins over its type's). A row staff already saved is kept.
INSERT INTO policies (content_type, mode, hold_score, flags_to_hold) VALUES
    ('statement', 'post', 60, 3),
    ('contribution_comment', 'post', 60, 3)
ON CONFLICT (content_type) DO NOTHING;
