-- How many people there are, kept by the database in the same transaction as every insert
-- and delete, whoever writes (this app, another instance of it, an import, COPY, a tool): the
-- list reads 16 small rows instead of counting up to 1,001 on every page, and the figure is
-- exact the moment a write commits.
--
-- One row would make every create and delete wait for the one before to commit (the row
-- stays locked until then), so the count is spread over 16 slots and each statement adds to
-- the slot of the server process that runs it: concurrent transactions come from different
-- connections, so they rarely touch the same slot. The total is the sum of the slots (one
-- slot may go negative; the sum cannot). Statement-level triggers with transition tables:
-- one UPDATE per statement, so a bulk COPY of a million rows costs one UPDATE, and a
-- statement that inserts nothing (ON CONFLICT DO NOTHING) touches no slot. TRUNCATE fires no
-- row or DELETE triggers, so it has its own.
--
-- CREATE TRIGGER locks person against writes until this migration commits, so the count
-- taken at the end misses no concurrent write.
CREATE TABLE person_count (
    slot INTEGER PRIMARY KEY CHECK (slot BETWEEN 0 AND 15),
    people BIGINT NOT NULL
);
INSERT INTO person_count (slot, people) SELECT slot, 0 FROM generate_series(0, 15) AS slot;

CREATE FUNCTION person_count_change() RETURNS trigger AS $$
DECLARE
    changed BIGINT;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE person_count SET people = 0;
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        SELECT count(*) INTO changed FROM inserted;
    ELSE
        SELECT -count(*) INTO changed FROM deleted;
    END IF;
    IF changed <> 0 THEN
        UPDATE person_count SET people = people + changed WHERE slot = pg_backend_pid() % 16;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER person_count_on_insert AFTER INSERT ON person
REFERENCING NEW TABLE AS inserted
FOR EACH STATEMENT EXECUTE FUNCTION person_count_change();

CREATE TRIGGER person_count_on_delete AFTER DELETE ON person
REFERENCING OLD TABLE AS deleted
FOR EACH STATEMENT EXECUTE FUNCTION person_count_change();

CREATE TRIGGER person_count_on_truncate AFTER TRUNCATE ON person
FOR EACH STATEMENT EXECUTE FUNCTION person_count_change();

UPDATE person_count SET people = (SELECT count(*) FROM person) WHERE slot = 0;
