-- The audit log also lists the staff actions other services recorded in their own
-- `staff_audit` table (copied from their `staff.action_recorded` events): which service
-- recorded an entry, and its id there, so that a copy is never made twice.
ALTER TABLE audit_log ADD COLUMN recorded_by text NOT NULL DEFAULT 'gateway';
ALTER TABLE audit_log ADD COLUMN source_entry_id bigint;
CREATE UNIQUE INDEX audit_log_copied_once ON audit_log (recorded_by, source_entry_id) WHERE source_entry_id IS NOT NULL;
