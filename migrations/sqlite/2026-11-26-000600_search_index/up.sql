-- Search that does not read every row. `person_fts` is an FTS5 index of `name_key` (the name
-- folded as uniqueness folds it, which is what a search looks in), split into trigrams: a
-- search for 3 or more characters finds the rows holding it through the index, wherever in
-- the name it is. External content: the index holds only the trigrams and reads the text
-- from `person`, so the names are not stored twice. `case_sensitive 1` because both the
-- keys and the searched text are already folded by the app (`key_of`): the index must not
-- fold again with its own rules, or it would match what `LIKE` on the key does not.
CREATE VIRTUAL TABLE person_fts USING fts5(
    name_key,
    content = 'person',
    content_rowid = 'id',
    tokenize = 'trigram case_sensitive 1'
);

-- Kept in step by the database itself, in the transaction of the write, whoever writes.
-- An external-content index forgets a row by being told the values it indexed (OLD).
CREATE TRIGGER person_fts_insert AFTER INSERT ON person
BEGIN
    INSERT INTO person_fts (rowid, name_key) VALUES (NEW.id, NEW.name_key);
END;

CREATE TRIGGER person_fts_delete AFTER DELETE ON person
BEGIN
    INSERT INTO person_fts (person_fts, rowid, name_key) VALUES ('delete', OLD.id, OLD.name_key);
END;

CREATE TRIGGER person_fts_rename AFTER UPDATE OF name_key ON person
WHEN NEW.name_key IS NOT OLD.name_key
BEGIN
    INSERT INTO person_fts (person_fts, rowid, name_key) VALUES ('delete', OLD.id, OLD.name_key);
    INSERT INTO person_fts (rowid, name_key) VALUES (NEW.id, NEW.name_key);
END;

-- The people already there.
INSERT INTO person_fts (person_fts) VALUES ('rebuild');
