DROP TRIGGER person_dates_on_rename ON person;
DROP FUNCTION person_dates_on_rename();
ALTER TABLE person DROP COLUMN updated_at;
ALTER TABLE person DROP COLUMN created_at;
