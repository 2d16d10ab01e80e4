DROP TRIGGER person_dates_on_rename;
DROP TRIGGER person_dates_on_insert;
ALTER TABLE person DROP COLUMN updated_at;
ALTER TABLE person DROP COLUMN created_at;
