-- Round 5 (the server): who changed what, background jobs, server-side page sessions.
CREATE TABLE IF NOT EXISTS audit_log (
    entry_id {serial},
    at TEXT NOT NULL,
    key_id TEXT,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_record ON audit_log (kind, record_id);
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    progress INTEGER NOT NULL,
    message TEXT,
    params TEXT NOT NULL,
    payload {blob},
    result TEXT,
    error TEXT,
    key_id TEXT,
    role TEXT,
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    owner TEXT,
    heartbeat DOUBLE PRECISION
);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs (state, created_at);
CREATE TABLE IF NOT EXISTS web_sessions (
    digest TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    key_id TEXT,
    expires_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS web_sessions_key ON web_sessions (key_id);
