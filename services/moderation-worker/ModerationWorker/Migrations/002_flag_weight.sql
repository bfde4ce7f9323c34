-- Flags weigh by who flags. One person with a visitor's flag and two throwaway accounts
-- could hide any item: now visitors' and unconfirmed accounts' flags are signals for the
-- moderators, never a reason to hide; only confirmed accounts old enough count toward an
-- automatic hold, and a wider audience needs more of them.

-- Who flagged. Flags recorded before this migration did not say: `unknown`, never counted.
ALTER TABLE flags
    ADD COLUMN reporter_kind text NOT NULL DEFAULT 'unknown'
        CHECK (reporter_kind IN ('unknown', 'visitor', 'unconfirmed_account', 'confirmed_account')),
    ADD COLUMN account_id uuid,
    ADD COLUMN account_created_at timestamptz;
-- Every flag of one reporter, for a sanction.
CREATE INDEX flags_by_reporter ON flags (reporter_key);

-- The flag rules per content type: how old an account must be when it flags, and one
-- more flag needed per this many people the content reaches. 0 flags: flags never hide.
ALTER TABLE policies
    ADD COLUMN flag_account_minimum_days integer NOT NULL DEFAULT 7 CHECK (flag_account_minimum_days BETWEEN 0 AND 3650),
    ADD COLUMN audience_per_extra_flag integer NOT NULL DEFAULT 100 CHECK (audience_per_extra_flag BETWEEN 1 AND 1000000),
    DROP CONSTRAINT policies_flags_to_hold_check,
    ADD CONSTRAINT policies_flags_to_hold_check CHECK (flags_to_hold BETWEEN 0 AND 1000);
-- A petition is what a censor aims at: 5 confirmed accounts at the least, where staff
-- kept the first default.
UPDATE policies SET flags_to_hold = 5 WHERE content_type = 'petition' AND flags_to_hold = 3 AND updated_by IS NULL;

ALTER TABLE items
    -- Hidden by the flags rule (not by a moderator): a petition held so stays signable.
    ADD COLUMN held_by_flags boolean NOT NULL DEFAULT false,
    -- The last moderator decision: flags count from it (or from the last submission).
    ADD COLUMN reviewed_at timestamptz,
    -- How many people the content reaches (a petition's signatures), as the last flag said.
    ADD COLUMN audience integer;
UPDATE items SET reviewed_at = decided_at WHERE decided_by IS NOT NULL;
UPDATE items i SET held_by_flags = true
WHERE NOT i.visible AND (SELECT d.rule FROM decisions d WHERE d.item_id = i.id ORDER BY d.sequence DESC LIMIT 1) = 'flags';

-- Reporters whose flags a moderator ignores (flag abuse): they stop counting, past and future.
CREATE TABLE ignored_flag_reporters (
    reporter_key text PRIMARY KEY,
    ignored_since timestamptz NOT NULL DEFAULT now()
);

-- The audit trail of those sanctions: who ignored or restored whose flags, when and why.
CREATE TABLE flag_sanctions (
    sequence bigserial PRIMARY KEY,
    reporter_key text NOT NULL,
    action text NOT NULL CHECK (action IN ('ignore', 'restore')),
    reason text NOT NULL,
    decided_by uuid NOT NULL,
    decided_by_name text NOT NULL,
    decided_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX flag_sanctions_by_reporter ON flag_sanctions (reporter_key, sequence);

-- Each flag with whether it counts toward an automatic hold: the one place the rule is
-- written. A confirmed account at least the policy's days old when it flagged, not
-- ignored, since the item's last moderator decision or submission.
CREATE VIEW weighed_flags AS
SELECT f.item_id, f.reporter_key, f.reason_code, f.comment, f.flagged_at, f.reporter_kind, f.account_id, f.account_created_at,
       g.reporter_key IS NOT NULL AS ignored,
       (f.reporter_kind = 'confirmed_account'
        AND f.account_created_at <= f.flagged_at - make_interval(days => coalesce(p.flag_account_minimum_days, 7))
        AND f.flagged_at > greatest(i.received_at, coalesce(i.reviewed_at, '-infinity'::timestamptz))
        AND g.reporter_key IS NULL) AS counts
FROM flags f
JOIN items i ON i.id = f.item_id
-- A type without a policy row takes the defaults (`ModerationPolicy`'s, 7 days).
LEFT JOIN policies p ON p.content_type = i.content_type
LEFT JOIN ignored_flag_reporters g ON g.reporter_key = f.reporter_key;
