-- Two-sided matchmaking (issue 14): supplier keys, meeting requests both ways, participants'
-- own meeting outcomes, and the notification outbox (in-app list and e-mail, retried).
ALTER TABLE api_keys ADD COLUMN supplier TEXT;
ALTER TABLE api_keys ADD COLUMN email TEXT;
ALTER TABLE audit_log ADD COLUMN detail TEXT;
CREATE TABLE IF NOT EXISTS meeting_requests (
    meeting_request_id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL,
    supplier_id TEXT NOT NULL,
    from_side TEXT NOT NULL,
    state TEXT NOT NULL,
    message TEXT,
    answer TEXT,
    override TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS meeting_requests_pair ON meeting_requests (request_id, supplier_id);
CREATE INDEX IF NOT EXISTS meeting_requests_supplier ON meeting_requests (supplier_id);
CREATE TABLE IF NOT EXISTS contact_sharing (
    supplier_id TEXT PRIMARY KEY,
    share INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS side_outcomes (
    plan_id TEXT NOT NULL,
    meeting_id TEXT NOT NULL,
    side TEXT NOT NULL,
    outcome TEXT NOT NULL,
    note TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (plan_id, meeting_id, side)
);
CREATE TABLE IF NOT EXISTS notifications (
    notification_id {serial},
    recipient_kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    event TEXT NOT NULL,
    params TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT,
    email TEXT,
    email_state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt DOUBLE PRECISION,
    last_error TEXT,
    sent_at TEXT
);
CREATE INDEX IF NOT EXISTS notifications_recipient ON notifications (recipient_kind, recipient);
CREATE INDEX IF NOT EXISTS notifications_outbox ON notifications (email_state, next_attempt)
