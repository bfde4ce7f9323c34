-- The trace context (W3C traceparent) of the event that queued the mail, so that a mail can
-- be followed back to the request that caused it, and its send is logged under that trace.
ALTER TABLE email_deliveries ADD COLUMN traceparent text;
