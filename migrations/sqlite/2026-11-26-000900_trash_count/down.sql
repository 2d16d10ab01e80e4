DROP TRIGGER person_trash_count_on_delete;
DROP TRIGGER person_trash_count_on_insert;
ALTER TABLE person_count DROP COLUMN trashed;
