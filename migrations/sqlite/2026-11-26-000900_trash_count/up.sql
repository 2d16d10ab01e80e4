-- How many people are in the trash, kept like the number of people (000800) in the same
-- transaction as every move into or out of `person_trash`: the list says "N people in the
-- trash" on every page, and reading it beside the number of people costs no extra query,
-- where counting read up to 1,001 trash ids per page.
ALTER TABLE person_count ADD COLUMN trashed BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER person_trash_count_on_insert AFTER INSERT ON person_trash
BEGIN
    UPDATE person_count SET trashed = trashed + 1 WHERE slot = 0;
END;

CREATE TRIGGER person_trash_count_on_delete AFTER DELETE ON person_trash
BEGIN
    UPDATE person_count SET trashed = trashed - 1 WHERE slot = 0;
END;

UPDATE person_count SET trashed = (SELECT count(*) FROM person_trash) WHERE slot = 0;
