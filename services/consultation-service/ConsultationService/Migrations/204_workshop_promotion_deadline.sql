-- A seat given from the waitlist is held until a deadline (`confirm_by`, see
-- `WorkshopPromotion.deadline`): confirmed by then it is kept (`promotion_confirmed_at`),
-- otherwise a periodic sweep cancels the registration (`promotion_expired_at`) and gives the
-- seat to the next waiting person, under the workshop's lock like every change of seats.
ALTER TABLE workshop_registrations
    ADD COLUMN confirm_by timestamptz,
    ADD COLUMN promotion_confirmed_at timestamptz,
    ADD COLUMN promotion_expired_at timestamptz;

-- What the sweep looks for: seats held past their deadline without confirmation.
CREATE INDEX workshop_registrations_awaiting_confirmation ON workshop_registrations (confirm_by)
    WHERE status = 'confirmed' AND confirm_by IS NOT NULL AND promotion_confirmed_at IS NULL;
