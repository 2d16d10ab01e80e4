-- How many people there are, kept by the database in the same transaction as every insert
-- and delete, whoever writes (this app, another instance of it, an import, a tool): the list
-- reads one row instead of counting up to 1,001 on every page, and the figure is exact the
-- moment a write commits. SQLite has one writer at a time, so one row (slot 0) is enough;
-- PostgreSQL spreads its writers over 16 (see migrations/postgres). A REPLACE that deletes a
-- row fires no delete trigger (recursive_triggers is off), so the app never uses REPLACE on
-- person. The count is taken after the triggers exist, inside this migration's transaction.
CREATE TABLE person_count (
    slot INTEGER PRIMARY KEY NOT NULL CHECK (slot BETWEEN 0 AND 15),
    people BIGINT NOT NULL
);

CREATE TRIGGER person_count_on_insert AFTER INSERT ON person
BEGIN
    UPDATE person_count SET people = people + 1 WHERE slot = 0;
END;

CREATE TRIGGER person_count_on_delete AFTER DELETE ON person
BEGIN
    UPDATE person_count SET people = people - 1 WHERE slot = 0;
END;

INSERT INTO person_count (slot, people) SELECT 0, count(*) FROM person;
