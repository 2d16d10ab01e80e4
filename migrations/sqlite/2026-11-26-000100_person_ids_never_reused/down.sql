-- Back to a plain INTEGER PRIMARY KEY (ids may then be reused again).
CREATE TABLE person_rebuilt (
    id INTEGER PRIMARY KEY NOT NULL,
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
