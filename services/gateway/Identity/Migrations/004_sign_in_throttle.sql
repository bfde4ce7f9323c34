-- Wrong passwords no longer lock an account (anyone could lock anyone's, and only real
-- accounts locked, which told who has one). Each failure is recorded against the address
-- typed (known or not) and the client's address; the next attempts wait a little longer,
-- a few seconds at most, and the right password always opens. Subjects are SHA-256 hashes:
-- the table keeps no address, and nothing here tells whether an account exists.
CREATE TABLE sign_in_failures (
    subject_hash bytea NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_by_subject ON sign_in_failures (subject_hash, failed_at);
CREATE INDEX sign_in_failures_by_time ON sign_in_failures (failed_at);

ALTER TABLE accounts DROP COLUMN failed_sign_ins, DROP COLUMN locked_until;
