-- Ids are never given out twice: on PostgreSQL `SERIAL` already takes them from a sequence
-- that never goes back, so only SQLite's table changes (see migrations/sqlite). This
-- migration exists so both backends have the same migration history.
SELECT 1;
