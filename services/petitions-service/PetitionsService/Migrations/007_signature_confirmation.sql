-- A signature counts only once its address is confirmed: by the link mailed to it, or at
-- once when a signed-in citizen whose account address is confirmed signs. Pending rows
-- still hold the one-signature-per-person rule; they are deleted when their link expires.
ALTER TABLE signatures
    ADD COLUMN confirmed_at timestamptz,
    -- SHA-256 of the secret of the mailed link (the link itself is never stored).
    ADD COLUMN confirmation_hash bytea,
    ADD COLUMN confirmation_expires_at timestamptz,
    ADD COLUMN account_id uuid,
    -- The signatory agreed to show their name on the petition's page.
    ADD COLUMN show_name boolean NOT NULL DEFAULT false,
    -- The signatory asked to be told of the assembly's answer.
    ADD COLUMN wants_answer boolean NOT NULL DEFAULT false,
    -- Kept for the fraud controls (rates per address, block lists, bulk invalidation).
    ADD COLUMN client_address inet,
    ADD COLUMN email_domain text GENERATED ALWAYS AS (split_part(email_normalized, '@', 2)) STORED,
    -- Invalidated by staff (fraud): no longer counted, kept as evidence.
    ADD COLUMN invalidated_at timestamptz,
    ADD COLUMN invalidation_id uuid;
-- Signatures stored before confirmation existed were counted: they stay confirmed.
UPDATE signatures SET confirmed_at = recorded_at;
CREATE UNIQUE INDEX signatures_by_confirmation ON signatures (confirmation_hash) WHERE confirmation_hash IS NOT NULL;
CREATE INDEX signatures_pending ON signatures (confirmation_expires_at) WHERE confirmed_at IS NULL;
CREATE INDEX signatures_by_petition_and_recording ON signatures (petition_id, recorded_at);
CREATE INDEX signatures_by_account ON signatures (account_id) WHERE account_id IS NOT NULL;
