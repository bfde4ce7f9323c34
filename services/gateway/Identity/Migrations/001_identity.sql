-- Accounts of citizens and staff. An erased account keeps its row (other services refer
-- to its id) but none of its personal data.
CREATE TABLE accounts (
    id uuid PRIMARY KEY,
    email text,
    -- One account per person, whatever the spelling of the address.
    email_normalized text UNIQUE,
    password_hash text,
    display_name text,
    postcode text,
    commune text,
    -- Derived from the postcode; null outside Hauts-de-France.
    departement text,
    -- Kept only with the person's consent, for survey breakdowns.
    age_band text,
    occupation text,
    demographics_consent_at timestamptz,
    -- Empty for a citizen; staff hold one or more of administrator, moderator, staff, analyst.
    roles text[] NOT NULL DEFAULT '{}',
    email_confirmed_at timestamptz,
    failed_sign_ins integer NOT NULL DEFAULT 0,
    locked_until timestamptz,
    disabled_at timestamptz,
    erased_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (roles <@ ARRAY['administrator', 'moderator', 'staff', 'analyst']::text[]),
    CHECK (erased_at IS NOT NULL OR (email IS NOT NULL AND email_normalized IS NOT NULL))
);

-- Single-use links mailed to a person (address confirmation, password reset). Only the
-- SHA-256 of the token is kept: a copy of the table opens no account.
CREATE TABLE account_tokens (
    token_hash bytea PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose text NOT NULL CHECK (purpose IN ('email_confirmation', 'password_reset')),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);
CREATE INDEX account_tokens_by_account ON account_tokens (account_id, purpose);

-- Server-side sessions, found by the SHA-256 of the cookie's value.
CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    -- Moves forward with activity, never past absolute_expires_at.
    expires_at timestamptz NOT NULL,
    absolute_expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Bearer tokens of API clients, issued to staff accounts.
CREATE TABLE api_tokens (
    id uuid PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    label text NOT NULL,
    token_hash bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at timestamptz
);
CREATE INDEX api_tokens_by_account ON api_tokens (account_id);

-- What staff did, on which object, when. Rows are never updated.
CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor_account_id uuid REFERENCES accounts (id),
    -- The actor's address when it happened, so the log still reads after a change.
    actor_label text NOT NULL,
    action text NOT NULL,
    object_type text NOT NULL,
    object_id text,
    details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_by_time ON audit_log (occurred_at DESC, id DESC);
