-- Citizens following a process: each is told by mail at each new phase (through the
-- notification worker; no address is kept here). Erasing an account removes its follows.
CREATE TABLE process_followers (
    process_id uuid NOT NULL REFERENCES processes (id),
    account_id uuid NOT NULL,
    followed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (process_id, account_id)
);

CREATE INDEX process_followers_by_account ON process_followers (account_id);
