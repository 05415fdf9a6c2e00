-- 001 down: undoes 001_up.sql. Run by gates.migrate.revert during a
-- rollback, which may be retried, so every statement is idempotent.
DROP TABLE IF EXISTS match_events;
ALTER TABLE matches DROP COLUMN IF EXISTS score;
