-- Ids are never given out twice. `INTEGER PRIMARY KEY` alone lets SQLite hand a deleted
-- person's id (the highest one) to the next person created, at version 1, so a stale edit or
-- API PUT of the deleted person would overwrite the new one. AUTOINCREMENT keeps the highest
-- id ever used in `sqlite_sequence`. SQLite cannot add it to a table: rebuild `person` with
-- the same columns, checks and indexes, rows and ids kept (the sequence starts at the highest
-- id copied; an id deleted before this upgrade at the top of the range cannot be known).
CREATE TABLE person_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    name VARCHAR(80) NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 80),
    name_key TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    creation_key TEXT
);
INSERT INTO person_rebuilt (id, name, name_key, version, creation_key)
SELECT id, name, name_key, version, creation_key FROM person ORDER BY id;
DROP TABLE person;
ALTER TABLE person_rebuilt RENAME TO person;
CREATE UNIQUE INDEX person_unique_name_key ON person (name_key);
CREATE UNIQUE INDEX person_unique_creation_key ON person (creation_key);
