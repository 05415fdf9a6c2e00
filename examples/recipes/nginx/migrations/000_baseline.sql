-- The schema before this release (already applied in your database). The
-- e2e test applies it to an empty database so 001 has something to change.
CREATE TABLE matches (
  id text PRIMARY KEY,
  home text NOT NULL,
  away text NOT NULL,
  starts_at timestamptz NOT NULL
);
