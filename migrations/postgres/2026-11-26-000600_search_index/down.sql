-- The extension stays: other schemas may use it.
DROP INDEX IF EXISTS person_name_key_trgm;
ALTER TABLE person ALTER COLUMN name_key TYPE TEXT COLLATE "default";
