-- When each person was added and last changed, in UTC, for the person page. People who were
-- there before this migration have no dates (NULL): nobody knows when they were added. The
-- defaults are set after the columns are added, so they apply to new rows only; a trigger
-- moves updated_at on every change of name, whoever writes.
ALTER TABLE person ADD COLUMN created_at TIMESTAMP;
ALTER TABLE person ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE person ALTER COLUMN created_at SET DEFAULT (now() AT TIME ZONE 'utc');
ALTER TABLE person ALTER COLUMN updated_at SET DEFAULT (now() AT TIME ZONE 'utc');

CREATE FUNCTION person_dates_on_rename() RETURNS trigger AS $$
BEGIN
    NEW.updated_at := now() AT TIME ZONE 'utc';
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER person_dates_on_rename BEFORE UPDATE OF name ON person
FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name)
EXECUTE FUNCTION person_dates_on_rename();
