-- Rate-limit counters, shared by every gateway replica: one row per rule and client holds
-- the count of its current window. A window lives exactly as long as its rule's period
-- (a 24-hour deposit limit survives 24 hours); rows whose window ended are deleted by the
-- limiter's periodic clean-up, never earlier.
CREATE TABLE rate_limit_windows (
    rule text NOT NULL,
    client text NOT NULL,
    window_start timestamptz NOT NULL,
    window_end timestamptz NOT NULL,
    count integer NOT NULL CHECK (count >= 0),
    PRIMARY KEY (rule, client),
    CHECK (window_end > window_start)
);
CREATE INDEX rate_limit_windows_by_end ON rate_limit_windows (window_end);
