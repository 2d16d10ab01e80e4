-- name_key: the name as uniqueness sees it (NFC, lower case, inner whitespace collapsed), so
-- "Ada Lovelace" and "ada  lovelace" cannot both exist, even when created at the same moment.
-- The app computes it (PersonName::key). Rows saved before this get lower(name); rows whose
-- keys collide keep their names, and all but the first get their id appended to the key.
ALTER TABLE person ADD COLUMN name_key TEXT;
-- version: bumped by every update; an edit form saved with an older one is a stale edit (409).
ALTER TABLE person ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
-- creation_key: the one-time key of the form that created the row, so a form submitted twice
-- creates one person.
ALTER TABLE person ADD COLUMN creation_key TEXT;

UPDATE person SET name_key = lower(name);
UPDATE person SET name_key = name_key || ' #' || id
WHERE EXISTS (
    SELECT 1 FROM person AS earlier
    WHERE earlier.name_key = person.name_key AND earlier.id < person.id
);
ALTER TABLE person ALTER COLUMN name_key SET NOT NULL;

CREATE UNIQUE INDEX person_unique_name_key ON person (name_key);
CREATE UNIQUE INDEX person_unique_creation_key ON person (creation_key);
