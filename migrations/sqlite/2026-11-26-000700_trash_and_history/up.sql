-- The trash and each person's history (issue 14).
--
-- A deleted person moves from `person` to `person_trash` (same id, name, version and dates)
-- in one transaction, and back on restore: the live table, its unique indexes (which
-- therefore cover live people only, so a trashed name is free) and every list and search
-- query stay as they were. Ids are never given out twice (AUTOINCREMENT), so a restored
-- person can take its id back.
CREATE TABLE person_trash (
    id INTEGER PRIMARY KEY NOT NULL,
    name VARCHAR(80) NOT NULL,
    name_key TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMP,
    updated_at TIMESTAMP,
    deleted_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- The trash page (newest first) and the purge (oldest first).
CREATE INDEX person_trash_deleted_at ON person_trash (deleted_at, id);

-- What happened to each person, in order (`id`). No foreign key: a trashed person keeps
-- their history; deleting them forever deletes it with them.
CREATE TABLE person_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    person_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('create', 'rename', 'delete', 'restore')),
    name_before TEXT,
    name_after TEXT,
    version INTEGER NOT NULL,
    at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX person_history_person ON person_history (person_id, id);

-- Creates and renames are recorded by the database, in the statement that makes them,
-- whoever writes (the form, the API, a CSV import). An insert of an id that has a history
-- already is a restore, which the app records itself (with the name it had in the trash).
CREATE TRIGGER person_history_on_create AFTER INSERT ON person
WHEN NOT EXISTS (SELECT 1 FROM person_history WHERE person_id = NEW.id)
BEGIN
    INSERT INTO person_history (person_id, kind, name_before, name_after, version)
    VALUES (NEW.id, 'create', NULL, NEW.name, NEW.version);
END;

CREATE TRIGGER person_history_on_rename AFTER UPDATE OF name ON person
WHEN NEW.name IS NOT OLD.name
BEGIN
    INSERT INTO person_history (person_id, kind, name_before, name_after, version)
    VALUES (NEW.id, 'rename', OLD.name, NEW.name, NEW.version);
END;
