DROP INDEX person_creation_key_at;
ALTER TABLE person DROP COLUMN creation_key_at;
ALTER TABLE person DROP COLUMN creation_request;
