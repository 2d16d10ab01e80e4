DROP INDEX person_unique_creation_key;
DROP INDEX person_unique_name_key;
ALTER TABLE person DROP COLUMN creation_key;
ALTER TABLE person DROP COLUMN version;
ALTER TABLE person DROP COLUMN name_key;
