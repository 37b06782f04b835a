-- Stored match runs were written on every submission and never read: matches are
-- recomputed against the current catalogue and profile (GET /requests/{id}/matches).
DROP INDEX IF EXISTS match_runs_request;
DROP TABLE IF EXISTS match_runs;
