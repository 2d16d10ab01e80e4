-- When each person was added and last changed, in UTC, for the person page. People who were
-- there before this migration have no dates (NULL): nobody knows when they were added.
-- SQLite cannot add a column whose default is the current time, so triggers fill the dates
-- in for every insert that does not set them and for every change of name, whoever writes.
ALTER TABLE person ADD COLUMN created_at TIMESTAMP;
ALTER TABLE person ADD COLUMN updated_at TIMESTAMP;

CREATE TRIGGER person_dates_on_insert AFTER INSERT ON person
WHEN NEW.created_at IS NULL
BEGIN
    UPDATE person SET created_at = CURRENT_TIMESTAMP, updated_at = CURRENT_TIMESTAMP
    WHERE id = NEW.id;
END;

CREATE TRIGGER person_dates_on_rename AFTER UPDATE OF name ON person
WHEN NEW.name IS NOT OLD.name
BEGIN
    UPDATE person SET updated_at = CURRENT_TIMESTAMP WHERE id = NEW.id;
END;
