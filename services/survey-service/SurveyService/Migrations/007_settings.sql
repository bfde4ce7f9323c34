-- The platform's survey settings, changed by staff (audited in staff_audit). One row at
-- most; until someone saves, the service answers with the defaults.
CREATE TABLE settings (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    -- The smallest count results publish (« < n » below it).
    small_cell_minimum integer NOT NULL CHECK (small_cell_minimum BETWEEN 5 AND 50),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text
);
