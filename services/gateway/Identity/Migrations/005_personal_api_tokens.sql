-- Personal API tokens: a person with a confirmed address creates them in their account
-- (/compte/jetons) to contribute, support, answer and vote through the API. A token's scope
-- says what it may do: a `staff` token acts with its account's roles (issued in the
-- back-office, as before); a `citizen` token acts as a citizen only, whatever the account's
-- roles, so a leaked personal token never reaches a staff operation.
ALTER TABLE api_tokens
    ADD COLUMN scope text NOT NULL DEFAULT 'staff' CHECK (scope IN ('staff', 'citizen'));
