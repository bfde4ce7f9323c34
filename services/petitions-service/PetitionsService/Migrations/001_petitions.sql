-- Petitions and their signatures. The count is kept on the petition and updated once
-- per consumed batch, never once per signature.
CREATE TABLE petitions (
    id uuid PRIMARY KEY,
    title text NOT NULL,
    body text NOT NULL,
    status text NOT NULL DEFAULT 'open',
    -- Frozen when the petition opens: a later change of the platform default never moves it.
    threshold integer NOT NULL CHECK (threshold > 0),
    signature_count integer NOT NULL DEFAULT 0 CHECK (signature_count >= 0),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE signatures (
    id uuid PRIMARY KEY,
    petition_id uuid NOT NULL REFERENCES petitions (id),
    name text NOT NULL,
    email text NOT NULL,
    -- One signature per person and petition, whatever the spelling of the address.
    email_normalized text NOT NULL,
    postcode text NOT NULL,
    -- Null for a postcode outside Hauts-de-France.
    departement text,
    signed_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (petition_id, email_normalized)
);

-- A crossing is written once, with its event: a count that later drops never re-arms it.
CREATE TABLE threshold_crossings (
    petition_id uuid NOT NULL REFERENCES petitions (id),
    threshold integer NOT NULL,
    signature_count integer NOT NULL,
    crossed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (petition_id, threshold)
);
