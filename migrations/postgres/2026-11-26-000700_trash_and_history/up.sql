-- The trash and each person's history (issue 14); see the SQLite migration for the design.
-- Ids come from a sequence that never goes back, so a restored person can take its id back.
CREATE TABLE person_trash (
    id INTEGER PRIMARY KEY NOT NULL,
    name VARCHAR(80) NOT NULL,
    name_key TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMP,
    updated_at TIMESTAMP,
    deleted_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc')
);
CREATE INDEX person_trash_deleted_at ON person_trash (deleted_at, id);

CREATE TABLE person_history (
    id SERIAL PRIMARY KEY,
    person_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('create', 'rename', 'delete', 'restore')),
    name_before TEXT,
    name_after TEXT,
    version INTEGER NOT NULL,
    at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc')
);
CREATE INDEX person_history_person ON person_history (person_id, id);

CREATE FUNCTION person_history_on_create() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM person_history WHERE person_id = NEW.id) THEN
        INSERT INTO person_history (person_id, kind, name_before, name_after, version)
        VALUES (NEW.id, 'create', NULL, NEW.name, NEW.version);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER person_history_on_create AFTER INSERT ON person
FOR EACH ROW EXECUTE FUNCTION person_history_on_create();

CREATE FUNCTION person_history_on_rename() RETURNS trigger AS $$
BEGIN
    INSERT INTO person_history (person_id, kind, name_before, name_after, version)
    VALUES (NEW.id, 'rename', OLD.name, NEW.name, NEW.version);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER person_history_on_rename AFTER UPDATE OF name ON person
FOR EACH ROW WHEN (NEW.name IS DISTINCT FROM OLD.name)
EXECUTE FUNCTION person_history_on_rename();
