-- 001 up: live events per match, and the score shown on the match page.
-- Run by gates.migrate.run as one transaction:
--   psql -X -q -v ON_ERROR_STOP=1 --single-transaction -f 001_up.sql
CREATE TABLE match_events (
  id bigserial PRIMARY KEY,
  match_id text NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
  kind text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX match_events_match_id_at ON match_events (match_id, at);
ALTER TABLE matches ADD COLUMN score text NOT NULL DEFAULT '0-0';
