-- A petition held after citizens' flags (not by a moderator's decision) stays reachable
-- by its link and signable until a moderator decides: it only leaves the lists and the
-- search. `visible` stays true for it, so signing and confirming read no other column.
ALTER TABLE petitions ADD COLUMN held_by_flags boolean NOT NULL DEFAULT false;

-- An open petition hidden while moderation has it pending was hidden by flags (a moderator's
-- hiding decides a status; a blocked author's hiding keeps the published one): give it back.
UPDATE petitions SET visible = true, held_by_flags = true
WHERE NOT visible AND status = 'open' AND moderation_status = 'pending';
