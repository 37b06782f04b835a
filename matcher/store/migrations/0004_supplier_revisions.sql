-- Incremental index updates: every supplier row carries the supplier version that last changed
-- it, and removals are remembered, so an index built at version v catches up with the rows
-- changed after v instead of re-reading the catalogue.
ALTER TABLE suppliers ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
CREATE INDEX IF NOT EXISTS suppliers_by_revision ON suppliers (revision);
CREATE TABLE IF NOT EXISTS supplier_removals (
    supplier_id TEXT NOT NULL,
    revision INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS supplier_removals_by_revision ON supplier_removals (revision)
